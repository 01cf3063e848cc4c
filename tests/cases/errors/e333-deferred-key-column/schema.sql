CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  manager_id INTEGER REFERENCES employees (id)
);
CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  badge TEXT NOT NULL,
  department_id INTEGER NOT NULL REFERENCES departments (id),
  UNIQUE (department_id, badge)
);
