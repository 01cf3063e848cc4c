-- The tables of benchmarks/staging.yaml (docs/recipes/billion-rows.md): ids the database draws.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username VARCHAR(40) NOT NULL UNIQUE,
    email VARCHAR(80) NOT NULL,
    first_name VARCHAR(60) NOT NULL,
    last_name VARCHAR(60) NOT NULL,
    signed_up TIMESTAMP NOT NULL
);
CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    number VARCHAR(40) NOT NULL UNIQUE,
    total NUMERIC(10, 2) NOT NULL,
    status VARCHAR(20) NOT NULL,
    placed_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_user_id ON orders (user_id);
CREATE INDEX orders_placed_at ON orders (placed_at);
