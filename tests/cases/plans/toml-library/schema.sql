-- Run by `seedspec apply --create` when the tables are missing (written for SQLite).
CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    pen_name VARCHAR(120) NOT NULL UNIQUE,
    full_name VARCHAR(120) NOT NULL,
    country CHAR(2) NOT NULL,
    born DATE
);

CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id),
    isbn VARCHAR(20) NOT NULL UNIQUE,
    title VARCHAR(200) NOT NULL,
    pages INTEGER NOT NULL,
    price NUMERIC(8, 2) NOT NULL,
    in_print BOOLEAN NOT NULL DEFAULT 1
);
