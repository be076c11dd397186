package dev.ferry.imports.model;

import dev.ferry.qemu.img.ImageFormat;
import java.nio.file.Path;

/**
 * One hard disk of a source VM: where it hangs (controller type, bus number, unit) and which image
 * file holds it, with the image format the source declares. {@code file} is always inside the
 * import folder (the readers refuse anything else).
 *
 * @param declaredBytes the capacity the source's description declares, or null if it names none
 */
public record ImportedDisk(String label, ControllerType controller, int bus, int unit, Path file, ImageFormat format,
                           Long declaredBytes) {}
