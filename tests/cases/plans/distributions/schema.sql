CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku VARCHAR(20) NOT NULL UNIQUE,
  price NUMERIC(10, 2) NOT NULL,
  rating NUMERIC(2, 1),
  quantity INTEGER NOT NULL,
  weight_g INTEGER NOT NULL,
  colour VARCHAR(10),
  launched DATE NOT NULL,
  discount FLOAT
);
