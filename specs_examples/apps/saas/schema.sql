-- A multi-tenant SaaS, written for PostgreSQL; seedspec translates it for SQLite and MariaDB
-- (tables: {ddl: schema.sql, dialect: postgresql}). Run by `seedspec apply --create`.
CREATE TABLE organizations (
    id UUID PRIMARY KEY,
    slug VARCHAR(40) NOT NULL UNIQUE,
    name VARCHAR(120) NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id UUID PRIMARY KEY,
    email VARCHAR(120) NOT NULL UNIQUE,
    name VARCHAR(120) NOT NULL
);

CREATE TABLE members (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    user_id UUID NOT NULL REFERENCES users (id),
    role VARCHAR(20) NOT NULL,
    joined_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, user_id)
);

CREATE TABLE projects (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    code VARCHAR(20) NOT NULL UNIQUE,
    name VARCHAR(80) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, name)
);

CREATE TABLE tasks (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    project_id UUID NOT NULL REFERENCES projects (id),
    number INTEGER NOT NULL,
    title VARCHAR(200) NOT NULL,
    assignee_id UUID NOT NULL REFERENCES members (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (project_id, number)
);

CREATE TABLE comments (
    id UUID PRIMARY KEY,
    task_id UUID NOT NULL REFERENCES tasks (id),
    author_id UUID NOT NULL REFERENCES members (id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
