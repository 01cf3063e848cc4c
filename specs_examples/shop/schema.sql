-- Run by `seedspec apply --create` when the tables are missing.
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku VARCHAR(20) NOT NULL UNIQUE,
    category VARCHAR(20) NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    weight_g INTEGER NOT NULL,
    rating FLOAT,
    launched DATE NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number VARCHAR(20) NOT NULL UNIQUE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL,
    placed_at TIMESTAMP NOT NULL
);
