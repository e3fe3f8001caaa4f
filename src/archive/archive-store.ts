import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { QuarterArchiveChunk } from '../../entities';

/** Bytes per chunk: under MySQL's 65,535-byte BLOB with room to spare. */
const CHUNK_BYTES = 60_000;

/**
 * Stores and reads a quarter's archive file as ordered BLOB chunks (see QuarterArchiveChunk),
 * inside the caller's transaction. Writing replaces whatever file was there.
 */
export const archiveStore = {
  async write(manager: EntityManager, officeId: string, quarter: string, bytes: Buffer): Promise<{ size: number; sha256: string }> {
    await manager.delete(QuarterArchiveChunk, { officeId, quarter });
    const chunks: Partial<QuarterArchiveChunk>[] = [];
    for (let seq = 0, at = 0; at < bytes.length || seq === 0; seq++, at += CHUNK_BYTES) {
      chunks.push({ officeId, quarter, seq, bytes: bytes.subarray(at, at + CHUNK_BYTES) });
    }
    // A few chunks per statement keeps each INSERT far below max_allowed_packet.
    for (let i = 0; i < chunks.length; i += 8) {
      await manager.createQueryBuilder().insert().into(QuarterArchiveChunk).values(chunks.slice(i, i + 8)).execute();
    }
    return { size: bytes.length, sha256: sha256(bytes) };
  },

  async read(manager: EntityManager, officeId: string, quarter: string): Promise<Buffer> {
    const chunks = await manager.find(QuarterArchiveChunk, { where: { officeId, quarter }, order: { seq: 'ASC' } });
    return Buffer.concat(chunks.map((c) => Buffer.from(c.bytes)));
  },
};

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
