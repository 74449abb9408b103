package org.fhiranchor.server.research.deid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.junit.jupiter.api.Test;

class DeidentificationProfileTest {

    @Test
    void bothProfilesLoadAndTheirHashIsTheHashOfTheirCanonicalJson() throws Exception {
        assertEquals(java.util.Set.of("safe-harbor", "safe-harbor-date-shift"), DeidentificationProfile.names());
        for (String name : DeidentificationProfile.names()) {
            DeidentificationProfile profile = DeidentificationProfile.load(name);
            assertEquals(name, profile.name());
            byte[] raw;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("deid/" + name + ".json")) {
                raw = in.readAllBytes();
            }
            assertArrayEquals(CanonicalJson.canonicalize(raw), profile.canonicalJson());
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(profile.canonicalJson()), profile.sha256());
            assertArrayEquals(
                    profile.sha256(), DeidentificationProfile.load(name).sha256(), "stable across loads");
        }
    }

    @Test
    void theTwoProfilesHaveDifferentHashesAndRules() {
        DeidentificationProfile year = DeidentificationProfile.load("safe-harbor");
        DeidentificationProfile shift = DeidentificationProfile.load("safe-harbor-date-shift");
        assertFalse(Arrays.equals(year.sha256(), shift.sha256()));
        assertEquals(DeidentificationProfile.DateMode.YEAR, year.dateMode());
        assertEquals(DeidentificationProfile.DateMode.SHIFT, shift.dateMode());
    }

    @Test
    void returnedBytesAreCopies() {
        DeidentificationProfile profile = DeidentificationProfile.load("safe-harbor");
        byte[] hash = profile.sha256();
        hash[0] ^= 1;
        assertFalse(Arrays.equals(hash, profile.sha256()));
    }

    @Test
    void unknownNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DeidentificationProfile.load("none"));
        assertThrows(IllegalArgumentException.class, () -> DeidentificationProfile.load("../application"));
        assertThrows(IllegalArgumentException.class, () -> DeidentificationProfile.load(null));
    }
}
