CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  manager_id INTEGER NOT NULL UNIQUE REFERENCES employees (id)
);
CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  badge TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id),
  UNIQUE (department_id, badge)
);
