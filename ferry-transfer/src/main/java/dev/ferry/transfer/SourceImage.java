package dev.ferry.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.ImageInspector;
import dev.ferry.qemu.img.QemuImg;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A source image read for sending, without QEMU: {@code qemu-img map} says which extents hold data
 * and where each lies (which file of the backing chain, at which offset), and the bytes are read
 * straight from those files. Holes and zero extents are never read. Only a qcow2 whose data is
 * partly compressed (no plain offset) is first converted to a sparse raw scratch copy with
 * {@code qemu-img convert}. The image must have passed {@link ImageInspector} (the caller's
 * {@link ImageInspector.Report} proves it) and must not change while it is read (a stopped VM).
 */
public final class SourceImage implements AutoCloseable {
    /** Data at logical {@code [start, start+length)}, found in chain file {@code file} at {@code fileOffset}. */
    record Piece(long start, int length, int file, long fileOffset) {}

    private final Path path;
    private final long virtualSize;
    private final List<FileChannel> files;
    private final TreeMap<Long, List<Piece>> windows;
    private final int windowSize;
    private final long dataBytes;
    private final Path scratch;

    private SourceImage(Path path, long virtualSize, List<FileChannel> files, TreeMap<Long, List<Piece>> windows, int windowSize,
                        long dataBytes, Path scratch) {
        this.path = path;
        this.virtualSize = virtualSize;
        this.files = files;
        this.windows = windows;
        this.windowSize = windowSize;
        this.dataBytes = dataBytes;
        this.scratch = scratch;
    }

    /**
     * Opens a vetted image. {@code scratchDir} receives a raw copy only if the image has compressed
     * clusters; it is deleted again by {@link #close()}.
     */
    public static SourceImage open(ImageInspector.Report report, QemuImg qemuImg, int windowSize, Path scratchDir) {
        JsonNode map = qemuImg.map(report.image(), report.format());
        if (hasUnaddressedData(map)) {
            Path raw = scratchDir.resolve(".ferry-send-" + Long.toHexString(System.nanoTime()) + ".raw");
            qemuImg.convert(report.image(), ImageFormat.of(report.format()), raw, ImageFormat.RAW, null, 24 * 3600, null);
            try {
                JsonNode rawMap = qemuImg.map(raw, DiskFormat.RAW);
                return build(report.image(), report.virtualSize(), List.of(raw), rawMap, windowSize, raw);
            } catch (RuntimeException e) {
                deleteQuietly(raw);
                throw e;
            }
        }
        return build(report.image(), report.virtualSize(),
                report.chain().stream().map(ImageInspector.Layer::path).toList(), map, windowSize, null);
    }

    private static boolean hasUnaddressedData(JsonNode map) {
        for (JsonNode e : map) {
            if (isData(e) && !e.has("offset")) return true;
        }
        return false;
    }

    private static boolean isData(JsonNode e) { return e.path("data").asBoolean(false) && !e.path("zero").asBoolean(false); }

    private static SourceImage build(Path image, long virtualSize, List<Path> chain, JsonNode map, int windowSize, Path scratch) {
        List<FileChannel> channels = new ArrayList<>();
        try {
            for (Path p : chain) channels.add(FileChannel.open(p, StandardOpenOption.READ));
        } catch (IOException e) {
            channels.forEach(SourceImage::closeQuietly);
            throw new FerryException(ErrorCode.IO_ERROR, "cannot open " + image + " for reading: " + e.getMessage(), e);
        }
        TreeMap<Long, List<Piece>> windows = new TreeMap<>();
        long data = 0;
        long size = virtualSize;
        for (JsonNode e : map) {
            long start = e.path("start").asLong();
            long length = e.path("length").asLong();
            size = Math.max(size, start + length);
            if (!isData(e)) continue;
            int depth = e.path("depth").asInt(0);
            if (depth < 0 || depth >= chain.size()) {
                channels.forEach(SourceImage::closeQuietly);
                throw new FerryException(ErrorCode.UNSAFE_IMAGE, "qemu-img map of " + image + " names chain depth " + depth
                        + ", but the inspected chain has " + chain.size() + " files");
            }
            long fileOffset = e.path("offset").asLong();
            long pos = start;
            while (pos < start + length) {
                long window = pos / windowSize * windowSize;
                int n = (int) Math.min(start + length - pos, window + windowSize - pos);
                windows.computeIfAbsent(window, w -> new ArrayList<>()).add(new Piece(pos, n, depth, fileOffset + (pos - start)));
                pos += n;
            }
            data += length;
        }
        return new SourceImage(image, size, channels, windows, windowSize, data, scratch);
    }

    public Path path() { return path; }

    public long virtualSize() { return virtualSize; }

    public int windowSize() { return windowSize; }

    /** Bytes in data extents (allocated and not known to be zero). */
    public long allocatedBytes() { return dataBytes; }

    /** Offsets of the windows that hold data, in order. */
    public List<Long> windowOffsets() { return List.copyOf(windows.keySet()); }

    /** Reads the data pieces of one window into {@code buf} at their window-relative offsets; returns the pieces. */
    List<Piece> readWindow(long windowOffset, byte[] buf) throws IOException {
        List<Piece> pieces = windows.getOrDefault(windowOffset, List.of());
        for (Piece p : pieces) {
            ByteBuffer b = ByteBuffer.wrap(buf, (int) (p.start() - windowOffset), p.length());
            FileChannel ch = files.get(p.file());
            long pos = p.fileOffset();
            while (b.hasRemaining()) {
                int n = ch.read(b, pos);
                if (n < 0) throw new EOFException(path + " ends before offset " + pos + " that qemu-img map reported");
                pos += n;
            }
        }
        return pieces;
    }

    @Override
    public void close() {
        files.forEach(SourceImage::closeQuietly);
        if (scratch != null) deleteQuietly(scratch);
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
