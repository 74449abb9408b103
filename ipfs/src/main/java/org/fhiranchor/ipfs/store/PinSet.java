package org.fhiranchor.ipfs.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.fhiranchor.ipfs.cid.Cid;

/**
 * Recursively pinned roots, one CID per line in a text file that is rewritten atomically on every change. Pins
 * mark what must be kept; this module does no garbage collection yet, so today they record intent for operators
 * and for a later GC.
 */
public final class PinSet {
    private final Path file;
    private final Set<Cid> pins = new LinkedHashSet<>();

    public PinSet(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    pins.add(Cid.parse(line));
                }
            }
        }
    }

    public synchronized boolean add(Cid cid) throws IOException {
        boolean added = pins.add(cid);
        if (added) {
            save();
        }
        return added;
    }

    public synchronized boolean remove(Cid cid) throws IOException {
        boolean removed = pins.remove(cid);
        if (removed) {
            save();
        }
        return removed;
    }

    public synchronized boolean contains(Cid cid) {
        return pins.contains(cid);
    }

    public synchronized Set<Cid> all() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(pins));
    }

    private void save() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Cid pin : pins) {
            text.append(pin).append('\n');
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
