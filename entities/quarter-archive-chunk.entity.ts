import { Column, Entity, PrimaryColumn } from 'typeorm';
import { key } from './columns';

/**
 * One piece of a quarter's archive file. `blob` is the one binary type both databases know,
 * but on MySQL/MariaDB it holds at most 65,535 bytes (and SQLite has no `longblob`), so the
 * file is stored as ordered chunks that each fit a MySQL BLOB.
 */
@Entity('quarter_archive_chunks')
export class QuarterArchiveChunk {
  @PrimaryColumn(key(64))
  officeId: string;

  @PrimaryColumn(key(8))
  quarter: string;

  /** 0, 1, 2 …: the file is the chunks' bytes in this order. */
  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ type: 'blob' })
  bytes: Buffer;
}
