package org.fhiranchor.ipfs.unixfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.ipfs.cid.Cid;

/**
 * A dag-pb node. The wire form follows go-merkledag / go-codec-dagpb exactly, because CIDs hash these bytes:
 * Links (field 2) come before Data (field 1); each link writes Hash (1), Name (2, even when empty) and Tsize (3);
 * Data is omitted when absent (null), written when present even if empty.
 */
public record PbNode(List<PbLink> links, byte[] data) {
    public PbNode {
        links = List.copyOf(links);
        data = data == null ? null : data.clone();
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    public byte[] encode() {
        ProtoWriter node = new ProtoWriter();
        for (PbLink link : links) {
            byte[] encodedLink = new ProtoWriter()
                    .bytes(1, link.hash().bytes())
                    .bytes(2, link.name().getBytes(StandardCharsets.UTF_8))
                    .varint(3, link.cumulativeSize())
                    .toByteArray();
            node.bytes(2, encodedLink);
        }
        if (data != null) {
            node.bytes(1, data);
        }
        return node.toByteArray();
    }

    /** Records compare arrays by reference; nodes are equal when their encodings are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PbNode that && links.equals(that.links) && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * links.hashCode() + java.util.Arrays.hashCode(data);
    }

    public static PbNode decode(byte[] block) {
        List<PbLink> links = new ArrayList<>();
        byte[] data = null;
        ProtoReader reader = new ProtoReader(block);
        while (reader.next()) {
            switch (reader.field()) {
                case 1 -> data = reader.bytes();
                case 2 -> links.add(decodeLink(reader.bytes()));
                default -> throw new MalformedNodeException("unknown dag-pb field " + reader.field());
            }
        }
        return new PbNode(links, data);
    }

    private static PbLink decodeLink(byte[] encoded) {
        Cid hash = null;
        String name = "";
        long size = 0;
        ProtoReader reader = new ProtoReader(encoded);
        while (reader.next()) {
            switch (reader.field()) {
                case 1 -> hash = parseCid(reader.bytes());
                case 2 -> name = new String(reader.bytes(), StandardCharsets.UTF_8);
                case 3 -> size = reader.varint();
                default -> throw new MalformedNodeException("unknown dag-pb link field " + reader.field());
            }
        }
        if (hash == null) {
            throw new MalformedNodeException("dag-pb link without Hash");
        }
        return new PbLink(hash, name, size);
    }

    private static Cid parseCid(byte[] bytes) {
        try {
            return Cid.fromBytes(bytes);
        } catch (IllegalArgumentException e) {
            throw new MalformedNodeException("bad CID in link: " + e.getMessage());
        }
    }
}
