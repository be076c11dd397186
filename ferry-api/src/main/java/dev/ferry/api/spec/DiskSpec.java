package dev.ferry.api.spec;

/**
 * One block device. The format is always explicit: Ferry never lets QEMU probe an image's format,
 * because a raw image that looks like qcow2 could otherwise make QEMU open arbitrary host files.
 *
 * @param id     short identifier, unique within the VM; becomes the QEMU node name
 * @param path   absolute host path of the image
 * @param format raw or qcow2
 * @param bus    virtio-blk, virtio-scsi, sata or ide
 * @param cache  none, writeback, writethrough, directsync or unsafe; default writeback
 */
public record DiskSpec(String id, String path, DiskFormat format, DiskBus bus, CacheMode cache) {
    public DiskSpec withPath(String newPath) { return new DiskSpec(id, newPath, format, bus, cache); }

    public DiskBus busOrDefault() { return bus == null ? DiskBus.VIRTIO_BLK : bus; }

    public CacheMode cacheOrDefault() { return cache == null ? CacheMode.WRITEBACK : cache; }
}
