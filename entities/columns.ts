import { ColumnOptions, PrimaryColumnOptions } from 'typeorm';

/**
 * Column shapes shared by every entity, chosen to mean the same on SQLite and MySQL/MariaDB.
 * Instants are DATETIME(3) holding UTC (the MySQL connection runs with timezone 'Z'; the
 * SQLite driver writes UTC strings), so "now" comparisons work in SQL on both.
 */
export const instant = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  nullable: true,
  ...options,
});

/** A short identifier or code: 191 characters keeps a utf8mb4 unique index within limits. */
export const shortText = (length = 64, options: ColumnOptions = {}): ColumnOptions => ({
  type: 'varchar',
  length,
  ...options,
});

/** A JSON document stored as text; portable and readable in both databases. */
export const json = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'simple-json',
  nullable: true,
  ...options,
});

/** A primary-key text column. */
export const key = (length = 64): PrimaryColumnOptions => ({ type: 'varchar', length });
