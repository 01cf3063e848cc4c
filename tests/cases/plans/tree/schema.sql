-- Run by `seedspec apply --create` when the tables are missing.
CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    badge VARCHAR(10) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    title VARCHAR(60) NOT NULL,
    reports_to INTEGER REFERENCES employees (id)
);
