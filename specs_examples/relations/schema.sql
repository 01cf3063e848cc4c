-- Run by `seedspec apply --create` when the tables are missing.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email VARCHAR(80) NOT NULL UNIQUE,
    country VARCHAR(2) NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku VARCHAR(20) NOT NULL UNIQUE,
    price NUMERIC(10, 2) NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number VARCHAR(20) NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    ship_to VARCHAR(2) NOT NULL,
    placed_at TIMESTAMP NOT NULL,
    shipped_on DATE NOT NULL,
    status VARCHAR(10) NOT NULL,
    paid_at TIMESTAMP,
    reference VARCHAR(120) NOT NULL
);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    line INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    unit_price NUMERIC(10, 2) NOT NULL,
    label VARCHAR(120) NOT NULL,
    UNIQUE (order_id, line)
);
