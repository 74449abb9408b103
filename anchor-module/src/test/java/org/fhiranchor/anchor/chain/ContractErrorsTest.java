package org.fhiranchor.anchor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContractErrorsTest {
    @Test
    void decodesCustomErrorsWithTheirArguments() {
        String data = ContractErrors.selector("TreeSizeNotIncreasing(uint64,uint64)") + "0".repeat(63) + "4"
                + "0".repeat(63) + "5";
        assertEquals(
                new ContractErrors.Decoded("TreeSizeNotIncreasing", "TreeSizeNotIncreasing(4, 5)"),
                ContractErrors.decode(data));
        // web3j passes JSON-RPC error data on as the raw JSON value, quotes included.
        assertEquals(
                "TreeSizeNotIncreasing",
                ContractErrors.decode("\"" + data + "\"").name());
    }

    @Test
    void rendersAddressesAndHashes() {
        String address = "70997970c51812dc3a010c7d01b50e2d17dc79c8";
        assertEquals(
                "NotWriter(0x" + address + ")",
                ContractErrors.decode(ContractErrors.selector("NotWriter(address)") + "0".repeat(24) + address)
                        .text());
        String key = "ab".repeat(32);
        assertEquals(
                "ConsentVersionNotIncreasing(0x" + key + ", 1, 2)",
                ContractErrors.decode(ContractErrors.selector("ConsentVersionNotIncreasing(bytes32,uint64,uint64)")
                                + key + "0".repeat(63) + "1" + "0".repeat(63) + "2")
                        .text());
    }

    @Test
    void unknownOrMissingDataStaysUnknown() {
        assertEquals("unknown", ContractErrors.decode(null).name());
        assertEquals("unknown", ContractErrors.decode("0x").name());
        assertEquals("unknown", ContractErrors.decode("0x08c379a0").name());
    }
}
