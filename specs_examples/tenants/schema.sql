-- Run by `seedspec apply --create` when the tables are missing.
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    domain VARCHAR(40) NOT NULL UNIQUE
);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    email VARCHAR(80) NOT NULL UNIQUE
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    name VARCHAR(80) NOT NULL UNIQUE
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    line INTEGER NOT NULL,
    assignee_id INTEGER NOT NULL REFERENCES members (id),
    UNIQUE (project_id, line)
);
