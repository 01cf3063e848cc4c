-- The tables of dev.yaml, written for SQLite ('dialect: sqlite' in dev.yaml). 'seedspec apply
-- dev.yaml --create' runs this file when a table is missing; on PostgreSQL, MySQL or MariaDB it
-- translates it first ('id INTEGER PRIMARY KEY', which SQLite numbers itself, becomes an identity
-- or AUTO_INCREMENT column there).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    name VARCHAR(100) NOT NULL,
    role VARCHAR(20) NOT NULL DEFAULT 'member',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (email)
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR(200) NOT NULL,
    slug VARCHAR(200) NOT NULL,
    body TEXT,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (slug)
);
