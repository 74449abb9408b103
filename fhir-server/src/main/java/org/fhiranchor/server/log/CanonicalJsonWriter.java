package org.fhiranchor.server.log;

import ca.uhn.fhir.parser.json.BaseJsonLikeWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonNumber;

/**
 * Receives HAPI's JSON encoding of a resource event by event and produces its canonical JSON v1 text
 * (docs/verification.md 1.3) directly, without writing the JSON text and parsing it again.
 *
 * <p>It gives the same text as canonicalizing what HAPI's own Jackson writer produces: strings are
 * the same Java strings, and numbers are written the way that writer writes them (a FHIR decimal's
 * {@code toString()} is its source lexeme, integers in decimal). Each object's members are buffered
 * and written sorted when the object ends; a duplicate member name fails, as the strict parser would.
 * One instance encodes one resource.
 */
final class CanonicalJsonWriter extends BaseJsonLikeWriter {

    private record Member(String name, String text) {}

    private static final Comparator<Member> BY_NAME = Comparator.comparing(Member::name);

    /** An open object or array, and the member name it was opened under in its parent object (null otherwise). */
    private static final class Frame {
        final String name;
        final List<Member> members; // objects
        final StringBuilder elements; // arrays

        Frame(String name, boolean object) {
            this.name = name;
            this.members = object ? new ArrayList<>() : null;
            this.elements = object ? null : new StringBuilder().append('[');
        }

        boolean isObject() {
            return members != null;
        }
    }

    private final Deque<Frame> open = new ArrayDeque<>();
    private String result;

    /** The canonical text of the resource, once its outermost object has ended. */
    String canonical() {
        if (result == null || !open.isEmpty()) {
            throw new IllegalStateException("the resource has not been completely written");
        }
        return result;
    }

    @Override
    public BaseJsonLikeWriter init() {
        return this;
    }

    @Override
    public BaseJsonLikeWriter flush() {
        return this;
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public BaseJsonLikeWriter beginObject() {
        open.push(new Frame(null, true));
        return this;
    }

    @Override
    public BaseJsonLikeWriter beginObject(String name) {
        requireMemberContext(name);
        open.push(new Frame(name, true));
        return this;
    }

    @Override
    public BaseJsonLikeWriter beginArray(String name) {
        requireMemberContext(name);
        open.push(new Frame(name, false));
        return this;
    }

    @Override
    public BaseJsonLikeWriter endObject() {
        Frame frame = open.pop();
        if (!frame.isObject()) {
            throw new IllegalStateException("endObject inside an array");
        }
        List<Member> members = frame.members;
        members.sort(BY_NAME);
        StringBuilder text = new StringBuilder().append('{');
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            if (i > 0) {
                if (member.name().equals(members.get(i - 1).name())) {
                    throw new IllegalStateException("duplicate member \"" + member.name() + "\"");
                }
                text.append(',');
            }
            CanonicalJson.appendString(member.name(), text);
            text.append(':').append(member.text());
        }
        text.append('}');
        emit(frame.name, text.toString());
        return this;
    }

    @Override
    public BaseJsonLikeWriter endBlock() {
        return endObject();
    }

    @Override
    public BaseJsonLikeWriter endArray() {
        Frame frame = open.pop();
        if (frame.isObject()) {
            throw new IllegalStateException("endArray inside an object");
        }
        emit(frame.name, frame.elements.append(']').toString());
        return this;
    }

    @Override
    public BaseJsonLikeWriter write(String value) {
        return write(null, value);
    }

    @Override
    public BaseJsonLikeWriter write(BigInteger value) {
        return write(null, value);
    }

    @Override
    public BaseJsonLikeWriter write(BigDecimal value) {
        return write(null, value);
    }

    @Override
    public BaseJsonLikeWriter write(long value) {
        return write(null, value);
    }

    @Override
    public BaseJsonLikeWriter write(double value) {
        return write(null, value);
    }

    @Override
    public BaseJsonLikeWriter write(Boolean value) {
        return write(null, value);
    }

    @Override
    public BaseJsonLikeWriter write(boolean value) {
        return write(null, value);
    }

    @Override
    public BaseJsonLikeWriter writeNull() {
        emit(null, "null");
        return this;
    }

    @Override
    public BaseJsonLikeWriter write(String name, String value) {
        if (value == null) {
            emit(name, "null");
        } else {
            StringBuilder text = new StringBuilder(value.length() + 2);
            CanonicalJson.appendString(value, text);
            emit(name, text.toString());
        }
        return this;
    }

    @Override
    public BaseJsonLikeWriter write(String name, BigInteger value) {
        emit(name, value == null ? "null" : number(value.toString()));
        return this;
    }

    /** HAPI passes FHIR decimals as a BigDecimal whose {@code toString()} is the decimal's own text. */
    @Override
    public BaseJsonLikeWriter write(String name, BigDecimal value) {
        emit(name, value == null ? "null" : number(value.toString()));
        return this;
    }

    @Override
    public BaseJsonLikeWriter write(String name, long value) {
        emit(name, Long.toString(value));
        return this;
    }

    /** As Jackson writes a double: its shortest text, or NaN and infinities as strings. */
    @Override
    public BaseJsonLikeWriter write(String name, double value) {
        if (Double.isFinite(value)) {
            emit(name, number(Double.toString(value)));
        } else {
            write(name, Double.toString(value));
        }
        return this;
    }

    @Override
    public BaseJsonLikeWriter write(String name, Boolean value) {
        emit(name, value == null ? "null" : value.toString());
        return this;
    }

    @Override
    public BaseJsonLikeWriter write(String name, boolean value) {
        emit(name, Boolean.toString(value));
        return this;
    }

    /** Numbers are kept as written, but must be RFC 8259 numbers, as the parser of the served text requires. */
    private static String number(String lexeme) {
        return new JsonNumber(lexeme).lexeme();
    }

    private void requireMemberContext(String name) {
        if (open.isEmpty() || !open.peek().isObject() || name == null) {
            throw new IllegalStateException("a named member outside an object");
        }
    }

    private void emit(String name, String text) {
        Frame parent = open.peek();
        if (parent == null) {
            if (name != null || result != null) {
                throw new IllegalStateException("more than one top-level value");
            }
            result = text;
        } else if (parent.isObject()) {
            if (name == null) {
                throw new IllegalStateException("an unnamed value inside an object");
            }
            parent.members.add(new Member(name, text));
        } else {
            if (name != null) {
                throw new IllegalStateException("a named member inside an array");
            }
            if (parent.elements.length() > 1) {
                parent.elements.append(',');
            }
            parent.elements.append(text);
        }
    }
}
