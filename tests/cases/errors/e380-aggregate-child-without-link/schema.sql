CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number VARCHAR(20) NOT NULL UNIQUE,
    total NUMERIC(12, 2) NOT NULL DEFAULT 0,
    first_line INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    replaces_id INTEGER REFERENCES orders (id),
    line INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price NUMERIC(10, 2) NOT NULL,
    note VARCHAR(80)
);
