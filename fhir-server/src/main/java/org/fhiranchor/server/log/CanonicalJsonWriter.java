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
 * (docs/verification.md 1.3) directly, without writing the JSON text and parsing it again; on request, also the
 * text HAPI's own writer would have written (members in HAPI's order, no whitespace), so that one encoding gives
 * both what is served and what is hashed. That text equals HAPI's to the byte but for one thing: a control
 * character without a short escape is written {@code \u001f}, where Jackson writes {@code \u001F}.
 *
 * <p>It gives the same text as canonicalizing what HAPI's own Jackson writer produces: strings are
 * the same Java strings, and numbers are written the way that writer writes them (a FHIR decimal's
 * {@code toString()} is its source lexeme, integers in decimal). Each object's members are buffered
 * and written sorted when the object ends; a duplicate member name fails, as the strict parser would.
 * One instance encodes one resource.
 */
final class CanonicalJsonWriter extends BaseJsonLikeWriter {

    /** A member's value as canonical text, and as served text (an object's is null when the served text is not kept). */
    private record Member(String name, String text, String served) {}

    private static final Comparator<Member> BY_NAME = Comparator.comparing(Member::name);

    /** An open object or array, and the member name it was opened under in its parent object (null otherwise). */
    private static final class Frame {
        final String name;
        final List<Member> members; // objects
        final StringBuilder elements; // arrays
        final StringBuilder servedElements; // arrays, when the served text is kept

        Frame(String name, boolean object, boolean served) {
            this.name = name;
            this.members = object ? new ArrayList<>() : null;
            this.elements = object ? null : new StringBuilder().append('[');
            this.servedElements = object || !served ? null : new StringBuilder().append('[');
        }

        boolean isObject() {
            return members != null;
        }
    }

    private final Deque<Frame> open = new ArrayDeque<>();
    private final boolean keepServed;
    private String result;
    private String servedResult;

    /** A writer of the canonical text only. */
    CanonicalJsonWriter() {
        this(false);
    }

    /** @param keepServed also keep the served text ({@link #served()}) */
    CanonicalJsonWriter(boolean keepServed) {
        this.keepServed = keepServed;
    }

    /** The canonical text of the resource, once its outermost object has ended. */
    String canonical() {
        requireComplete();
        return result;
    }

    /** The served text of the resource (as HAPI's Jackson writer writes it, not pretty-printed; see above). */
    String served() {
        requireComplete();
        if (!keepServed) {
            throw new IllegalStateException("this writer keeps the canonical text only");
        }
        return servedResult;
    }

    private void requireComplete() {
        if (result == null || !open.isEmpty()) {
            throw new IllegalStateException("the resource has not been completely written");
        }
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
        open.push(new Frame(null, true, keepServed));
        return this;
    }

    @Override
    public BaseJsonLikeWriter beginObject(String name) {
        requireMemberContext(name);
        open.push(new Frame(name, true, keepServed));
        return this;
    }

    @Override
    public BaseJsonLikeWriter beginArray(String name) {
        requireMemberContext(name);
        open.push(new Frame(name, false, keepServed));
        return this;
    }

    @Override
    public BaseJsonLikeWriter endObject() {
        Frame frame = open.pop();
        if (!frame.isObject()) {
            throw new IllegalStateException("endObject inside an array");
        }
        List<Member> members = frame.members;
        String served = keepServed ? servedObject(members) : null;
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
        emit(frame.name, text.toString(), served);
        return this;
    }

    /** The members in the order HAPI wrote them. */
    private static String servedObject(List<Member> members) {
        StringBuilder text = new StringBuilder().append('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            CanonicalJson.appendString(members.get(i).name(), text);
            text.append(':').append(members.get(i).served());
        }
        return text.append('}').toString();
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
        emit(
                frame.name,
                frame.elements.append(']').toString(),
                keepServed ? frame.servedElements.append(']').toString() : null);
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
        emit(name, text, text);
    }

    private void emit(String name, String text, String served) {
        Frame parent = open.peek();
        if (parent == null) {
            if (name != null || result != null) {
                throw new IllegalStateException("more than one top-level value");
            }
            result = text;
            servedResult = served;
        } else if (parent.isObject()) {
            if (name == null) {
                throw new IllegalStateException("an unnamed value inside an object");
            }
            parent.members.add(new Member(name, text, served));
        } else {
            if (name != null) {
                throw new IllegalStateException("a named member inside an array");
            }
            if (parent.elements.length() > 1) {
                parent.elements.append(',');
                if (keepServed) {
                    parent.servedElements.append(',');
                }
            }
            parent.elements.append(text);
            if (keepServed) {
                parent.servedElements.append(served);
            }
        }
    }
}
