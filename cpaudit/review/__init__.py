"""Inspector mode (issue 7): the Qt-free core the inspector GUI and the CLI call.

- ``inspector``: ``open_inspector(path, training=…)``, ``role_of``, ``is_training``, ``ReviewError``.
- ``registry``: registration requests → keys pending / trusted / revoked; bureau roots; certificates.
- ``importer``: ``import_iter`` / ``import_paths`` / ``import_file``: verified, idempotent, one transaction per file.
- ``snapshot``: list, read back, figure mismatches, warnings, evidence, report PDF, ``diff_documents``.
- ``scoring``: sheets from ``resources/scoring/*.toml``; ``compute``; decision terms.
- ``reviews``: scores, vetoes, anchored comments, ``decide``.
- ``answer``: the signed answer file; ``import_answer`` / ``answers_for`` on the enterprise side.
- ``dashboard``: city figures in SQL, CSV and XLSX export.
"""
