-- The tables of dev.yaml, for SQLite. 'seedspec apply dev.yaml --create' runs this file when
-- a table is missing. On PostgreSQL write 'id SERIAL PRIMARY KEY'; on MySQL or MariaDB
-- 'id INTEGER AUTO_INCREMENT PRIMARY KEY'.
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
