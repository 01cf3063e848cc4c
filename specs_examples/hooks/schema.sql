-- Run by `seedspec apply --create` when the tables are missing.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    owner_id INTEGER REFERENCES users (id),
    UNIQUE (name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    email VARCHAR(100) NOT NULL,
    UNIQUE (email)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    address VARCHAR(100) NOT NULL,
    subject VARCHAR(200) NOT NULL
);
