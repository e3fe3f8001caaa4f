import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, key, shortText } from './columns';

/**
 * A locked quarter of one office (docs/rules.md §6, SOP 4.8): the row's existence makes the
 * quarter's archived records read-only. The archive file (XLSX of the records and the
 * statistics) lives in `quarter_archive_chunks`; `anonymisedAt` is set once the quarter's
 * personal data has been removed at the end of its retention.
 */
@Entity('quarter_archives')
export class QuarterArchive {
  @PrimaryColumn(key(64))
  officeId: string;

  /** `YYYY-Qn` in the office's zone. */
  @PrimaryColumn(key(8))
  quarter: string;

  /** When the quarter was locked; retention (2 years) runs from here. */
  @Column(instant({ nullable: false }))
  lockedAt: Date;

  @Column(shortText(191))
  fileName: string;

  /** Size in bytes of the archive file, for a check when it is read back. */
  @Column({ type: 'integer' })
  fileSize: number;

  /** SHA-256 (hex) of the archive file. */
  @Column(shortText(64))
  fileSha256: string;

  @Column(instant())
  anonymisedAt: Date | null;
}
