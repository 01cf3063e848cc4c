"""The spec language's primitives: templates, relative dates, Faker access, value conversion, user code.

Pure building blocks the other rooms use; nothing here reads a spec or touches a database."""
