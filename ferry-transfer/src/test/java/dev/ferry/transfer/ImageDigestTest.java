package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageDigestTest {
    @Test
    void equalsTheDefinitionComputedNaivelyOverEveryByte() {
        long size = 5 * ImageDigest.BLOCK + 1234; // a short last block
        byte[] image = new byte[(int) size];
        Random r = new Random(1);
        byte[] a = new byte[7000];
        r.nextBytes(a);
        System.arraycopy(a, 0, image, 100, a.length);
        byte[] b = new byte[ImageDigest.BLOCK + 10];
        r.nextBytes(b);
        System.arraycopy(b, 0, image, 3 * ImageDigest.BLOCK - 5, b.length);
        image[(int) size - 1] = 9;

        ImageDigest d = new ImageDigest(size);
        d.update(100, a, 0, a.length);
        d.update(3L * ImageDigest.BLOCK - 5, b, 0, b.length);
        d.update(size - 1, new byte[] {9}, 0, 1);

        assertThat(d.finish()).isEqualTo(naive(image));
    }

    @Test
    void holesAndWrittenZerosAndSplitFeedsGiveTheSameDigest() {
        long size = 10L * ImageDigest.BLOCK;
        byte[] data = new byte[3 * ImageDigest.BLOCK];
        new Random(2).nextBytes(data);
        ImageDigest whole = new ImageDigest(size);
        whole.update(ImageDigest.BLOCK / 2, data, 0, data.length);
        ImageDigest split = new ImageDigest(size);
        split.update(0, new byte[ImageDigest.BLOCK / 2], 0, ImageDigest.BLOCK / 2); // explicit zeros
        for (int i = 0; i < data.length; i += 4096) split.update(ImageDigest.BLOCK / 2 + i, data, i, Math.min(4096, data.length - i));
        assertThat(split.finish()).isEqualTo(whole.finish());
        assertThat(new ImageDigest(size).finish()).isNotEqualTo(new ImageDigest(size + 1).finish());
    }

    private static byte[] naive(byte[] image) {
        MessageDigest outer = ImageDigest.sha256();
        outer.update("ferry-image-sha256-64k\0".getBytes(StandardCharsets.US_ASCII));
        outer.update(ByteBuffer.allocate(8).putLong(image.length).array());
        for (int off = 0; off < image.length; off += ImageDigest.BLOCK) {
            MessageDigest blk = ImageDigest.sha256();
            blk.update(image, off, Math.min(ImageDigest.BLOCK, image.length - off));
            outer.update(blk.digest());
        }
        return outer.digest();
    }
}
