-- Run by `seedspec apply --create` when the tables are missing.
-- A foreign-key cycle: every employee works in a department, every department has a manager.
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    code VARCHAR(10) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    manager_id INTEGER REFERENCES employees (id)        -- nullable: where seedspec breaks the cycle
);
CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    badge VARCHAR(10) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments (id)
);
