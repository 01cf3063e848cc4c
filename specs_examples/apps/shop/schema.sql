-- A shop: customers, products, orders, their items and payments.
-- Run by `seedspec apply --create` when the tables are missing (translated for PostgreSQL and MariaDB).
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email VARCHAR(80) NOT NULL UNIQUE,
    name VARCHAR(80) NOT NULL,
    signed_up_at TIMESTAMP NOT NULL
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku VARCHAR(20) NOT NULL UNIQUE,
    name VARCHAR(120) NOT NULL,
    price NUMERIC(10, 2) NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number VARCHAR(20) NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    placed_at TIMESTAMP NOT NULL,
    status VARCHAR(10) NOT NULL,
    item_count INTEGER NOT NULL DEFAULT 0,
    total NUMERIC(12, 2) NOT NULL DEFAULT 0
);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    line INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL,
    unit_price NUMERIC(10, 2) NOT NULL,
    UNIQUE (order_id, line)
);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    amount NUMERIC(12, 2) NOT NULL,
    paid_at TIMESTAMP NOT NULL,
    method VARCHAR(10) NOT NULL
);
