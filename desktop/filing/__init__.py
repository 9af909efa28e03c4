"""The filing packet: exhibits assembled for the Immigration Court, numbered, checked and split.

``packet`` (PacketService: the record, its rules, building and saving), ``build`` (assembling the
PDF in memory), ``split`` (parts under the upload limit), ``check`` (re-reading what was built),
``pages`` (the generated pages: cover, index, tabs, proof of service), ``settings`` (the service
address remembered per court). See docs/filing.md. No Qt, no network.
"""
