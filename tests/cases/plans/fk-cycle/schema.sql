-- Both sides NOT NULL: the deferred ref holds a placeholder until its UPDATE.
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    code VARCHAR(10) NOT NULL UNIQUE,
    manager_id INTEGER NOT NULL REFERENCES employees (id)
);
CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    badge VARCHAR(10) NOT NULL UNIQUE,
    department_id INTEGER NOT NULL REFERENCES departments (id)
);
