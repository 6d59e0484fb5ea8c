"""The glue between the database and the engine. Services never touch the request: views pass
in what they parsed, and services return plain results or raise `ServiceError`."""
