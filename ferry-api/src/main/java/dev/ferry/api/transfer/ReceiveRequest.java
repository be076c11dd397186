package dev.ferry.api.transfer;

import dev.ferry.api.spec.DiskFormat;

/**
 * Asks the receiving agent to accept one disk image into one of its storage pools.
 *
 * @param transferId the caller's id of this copy (letters, digits, '-', '_'); asking again with
 *                   the same id resumes the same copy, e.g. after either agent restarted
 * @param pool       name of a storage pool of the receiving host
 * @param fileName   plain file name of the new image inside the pool; must not exist yet
 * @param format     format of the new image: raw, or qcow2 (received as raw, then converted)
 */
public record ReceiveRequest(String transferId, String pool, String fileName, DiskFormat format) {}
