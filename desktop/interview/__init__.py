"""The interview: the questionnaire, dates as people say them, and visits with their answers.

- :mod:`~desktop.interview.questionnaire`: versioned, bilingual questionnaires kept as TOML data.
- :mod:`~desktop.interview.phrases`: spoken date phrases ("marzo del 2022") turned into EDTF.
- :mod:`~desktop.interview.visits`: starting a visit, recording answers, ending it with a summary.
"""
