package org.fhiranchor.anchor.log;

import java.util.Locale;

/** What happened to the resource in this version; the code is the byte stored in the leaf entry. */
public enum Operation {
    CREATE(1),
    UPDATE(2),
    DELETE(3);

    private final int code;

    Operation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The spelling in proof JSON: "create", "update", "delete". */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Operation fromCode(int code) {
        for (Operation operation : values()) {
            if (operation.code == code) {
                return operation;
            }
        }
        throw new IllegalArgumentException("unknown operation code " + code);
    }

    public static Operation fromJsonName(String name) {
        for (Operation operation : values()) {
            if (operation.jsonName().equals(name)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("unknown operation \"" + name + "\"");
    }
}
