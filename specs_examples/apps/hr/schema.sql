-- Run by `seedspec apply --create` when the tables are missing (translated for PostgreSQL and MariaDB).
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    code VARCHAR(20) NOT NULL UNIQUE,
    name VARCHAR(80) NOT NULL,
    founded_on DATE NOT NULL
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    badge VARCHAR(20) NOT NULL UNIQUE,
    department_id INTEGER NOT NULL REFERENCES departments (id),
    name VARCHAR(80) NOT NULL,
    hired_on DATE NOT NULL,
    status VARCHAR(20) NOT NULL,
    terminated_on DATE NULL
);

CREATE TABLE salaries (
    id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    line INTEGER NOT NULL,
    amount DECIMAL(10, 2) NOT NULL,
    starts_on DATE NOT NULL,
    UNIQUE (employee_id, line)
);

CREATE TABLE department_managers (
    id INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL UNIQUE REFERENCES departments (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    since DATE NOT NULL
);
