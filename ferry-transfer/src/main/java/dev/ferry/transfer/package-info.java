/**
 * Cold copies of disk images between hosts: only data is sent, every chunk is verified before it
 * is written, an interrupted copy resumes, and both ends agree on a whole-image digest.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.ferry.transfer.SourceImage}: which bytes to send. {@code qemu-img map
 *       --output=json -f FMT} (under prlimit, on an image {@link dev.ferry.qemu.img.ImageInspector}
 *       accepted) lists the data extents and where each lies in the chain's files; they are read
 *       straight from those files. A qcow2 with compressed clusters is first converted to a sparse
 *       raw scratch copy.</li>
 *   <li>{@link dev.ferry.transfer.WindowEncoder}: the image is cut into aligned windows (4 MiB in
 *       the agent); a window's chunk holds its data ranges minus every all-zero 4 KiB block, the
 *       CRC32C of ranges and data, and the data, zstd-compressed (level 1) when asked and when
 *       that shrinks it. The chunk checksum is CRC32C, not a cryptographic hash: TLS already
 *       authenticates every byte against tampering, the checksum is there to catch corruption
 *       between reading and writing (memory, bugs, a damaged compressed stream), for which
 *       CRC32C misses one in 2^32 at a few GB/s, and the SHA-256 whole-image digest below is the
 *       end-to-end proof. SHA-256 per chunk as well made every byte pass SHA-256 twice on each
 *       side and, on a busy 2-core host, capped the copy at a fraction of 1 Gbit/s.</li>
 *   <li>{@link dev.ferry.transfer.DiskSender} / {@link dev.ferry.transfer.DiskReceiver}: the
 *       protocol (see {@link dev.ferry.transfer.Messages}) over one mutual-TLS socket per
 *       transfer; the receiver's {@link dev.ferry.transfer.ReceiveJournal} makes it resumable;
 *       {@link dev.ferry.transfer.TokenBucket} caps the sender.</li>
 *   <li>{@link dev.ferry.transfer.ImageDigest}: SHA-256 over the SHA-256 of every 64 KiB block of
 *       the logical image (holes and zeros hash alike), computed by the sender while reading and by
 *       the receiver from what is on its disk.</li>
 * </ul>
 *
 * <h2>Guarantees and limits</h2>
 * <ul>
 *   <li>A chunk whose checksum fails is answered BAD_CHECKSUM, not written, and sent again (at most
 *       5 times, then the transfer fails). A written chunk is journaled only after the image file
 *       was synced, so a resume never trusts unsynced data.</li>
 *   <li>The receiver preallocates nothing: the partial image is a sparse file of the virtual size,
 *       written only at the chunks' ranges, renamed (raw) or converted ({@code qemu-img convert -f
 *       raw -O qcow2}) into the target after the digests matched, and the qcow2 result is digested
 *       again before it replaces anything.</li>
 *   <li>After a reconnection the sender reads and digests the whole source again (locally) but
 *       sends only chunks the receiver's journal lacks or holds with another checksum.</li>
 *   <li>The source must not change during the copy (the agent only sends disks of stopped VMs and
 *       leases the disk); a re-read chunk with another checksum fails the transfer.</li>
 * </ul>
 *
 * <h2>QEMU facts this relies on (qemu-img 10.0.2)</h2>
 * <ul>
 *   <li>{@code qemu-img map --output=json} entries carry {@code start, length, depth, present, zero,
 *       data, compressed} and, for uncompressed data, {@code offset} into the file at {@code depth}
 *       of the backing chain (0 = the image itself); {@code write -z} clusters are {@code zero:true}
 *       without offset; compressed clusters are {@code data:true, compressed:true} without offset.
 *       On raw files the first 4 KiB is always reported as data.</li>
 *   <li>HMP {@code qemu-io} prints its output to QEMU's stdout, not to the monitor, so it cannot be
 *       read over QMP's {@code human-monitor-command}; to see what a guest device reads, export its
 *       node read-only ({@code nbd-server-start} on a unix socket, {@code block-export-add}).</li>
 * </ul>
 */
package dev.ferry.transfer;
