-- Run by `seedspec apply --create` when the tables are missing (translated for PostgreSQL and MariaDB).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(80) NOT NULL UNIQUE,
    signed_up_at TIMESTAMP NOT NULL
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    slug VARCHAR(80) NOT NULL UNIQUE,
    author_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR(200) NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP NULL
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id),
    reply_to_id INTEGER NULL REFERENCES comments (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    number VARCHAR(40) NOT NULL UNIQUE,
    body VARCHAR(400) NOT NULL,
    notify_email VARCHAR(80) NOT NULL,
    created_at TIMESTAMP NOT NULL
);
