CREATE TABLE warehouses (region CHAR(2) NOT NULL, code INTEGER NOT NULL, name VARCHAR(50) NOT NULL, PRIMARY KEY (region, code));
CREATE TABLE bins (id INTEGER PRIMARY KEY, label VARCHAR(20) NOT NULL UNIQUE, wh_region CHAR(2) NOT NULL, wh_code INTEGER NOT NULL,
  FOREIGN KEY (wh_region, wh_code) REFERENCES warehouses (region, code));
