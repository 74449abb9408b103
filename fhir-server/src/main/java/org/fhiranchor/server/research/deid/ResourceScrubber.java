package org.fhiranchor.server.research.deid;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeCompositeDatatypeDefinition;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseHasExtensions;
import org.hl7.fhir.instance.model.api.IBaseHasModifierExtensions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * One pass over one resource (and what it contains): walks every child by its element definition and
 * applies the profile's rules by datatype and by path. Not shared between resources: it holds the
 * renaming of the resource's contained resources.
 *
 * <p>Paths are written as in the profile: from the nearest datatype ({@code Coding.display}) or from
 * the resource type ({@code Patient.contact}), choice elements without {@code [x]}, and an element that
 * repeats its own block ({@code Questionnaire.item.item}) named as the block ({@code Questionnaire.item}).
 */
final class ResourceScrubber {

    private static final Pattern RELATIVE_REFERENCE =
            Pattern.compile("([A-Z][A-Za-z]{1,63})/([A-Za-z0-9\\-.]{1,64})(/_history/[A-Za-z0-9\\-.]{1,64})?");
    private static final String UCUM = "http://unitsofmeasure.org";

    private final FhirContext fhirContext;
    private final DeidentificationProfile profile;
    private final ExportKeys keys;
    private final LocalDate exportDay;
    /** Days to shift this resource's dates by, or null to generalize them to the year. */
    private final Integer dayOffset;

    private final Map<String, String> containedIds = new HashMap<>();

    ResourceScrubber(
            FhirContext fhirContext,
            DeidentificationProfile profile,
            ExportKeys keys,
            LocalDate exportDay,
            Integer dayOffset) {
        this.fhirContext = fhirContext;
        this.profile = profile;
        this.keys = keys;
        this.exportDay = exportDay;
        this.dayOffset = dayOffset;
    }

    static LocalDate utcDay(java.time.Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** "Type/id" (or "Type/id/_history/n") to "Type/pseudonym"; null for anything else. */
    String pseudonymReference(String reference) {
        Matcher m = RELATIVE_REFERENCE.matcher(reference);
        if (!m.matches() || !fhirContext.getResourceTypes().contains(m.group(1))) {
            return null;
        }
        return m.group(1) + "/" + keys.pseudonymId(m.group(1), m.group(2));
    }

    /** Scrubs a top-level resource (already a copy) in place. */
    void scrubTopLevel(Resource resource) {
        scrubResource(resource, false);
    }

    private void scrubResource(IBaseResource resource, boolean contained) {
        String type = fhirContext.getResourceType(resource);
        boolean ageOverCeiling = resource instanceof Patient patient && isAtOrOverAgeCeiling(patient);
        if (resource instanceof DomainResource domain && !contained) {
            renameContained(domain);
        }
        if (resource instanceof IBaseHasModifierExtensions modified) {
            modified.getModifierExtension().removeIf(e -> !profile.keepsExtension(e.getUrl()));
        }
        if (resource instanceof IBaseHasExtensions extended) {
            extended.getExtension().removeIf(e -> !profile.keepsExtension(e.getUrl()));
        }
        scrubChildren(resource, fhirContext.getResourceDefinition(resource), type, new ArrayDeque<>());
        if (!contained && resource.getIdElement().hasIdPart()) {
            resource.setId(keys.pseudonymId(type, resource.getIdElement().getIdPart()));
        }
        if (ageOverCeiling) {
            Patient patient = (Patient) resource;
            patient.setBirthDateElement(null);
            patient.addExtension(profile.ageFlagExtension(), new BooleanType(true));
        }
    }

    /** Contained resources get local ids c1, c2...: their own ids could say anything. */
    private void renameContained(DomainResource domain) {
        int n = 0;
        for (Resource contained : domain.getContained()) {
            String oldId = contained.getIdElement().getIdPart();
            String newId = "c" + (++n);
            if (oldId != null) {
                containedIds.put(oldId.startsWith("#") ? oldId.substring(1) : oldId, newId);
            }
            contained.setId(newId);
            scrubResource(contained, true);
        }
    }

    private void scrubChildren(
            IBase element, BaseRuntimeElementCompositeDefinition<?> definition, String path, Deque<Object[]> blocks) {
        Set<String> keptChildren = definition instanceof RuntimeCompositeDatatypeDefinition
                ? profile.keptChildrenOf(definition.getName())
                : null;
        for (BaseRuntimeChildDefinition child : definition.getChildren()) {
            String name = child.getElementName();
            if (name.equals("extension")
                    || name.equals("modifierExtension")
                    || (element instanceof IBaseResource && (name.equals("id") || name.equals("contained")))) {
                continue;
            }
            List<? extends IBase> values = child.getAccessor().getValues(element);
            if (values.isEmpty()) {
                continue;
            }
            String childName = name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name;
            String childPath = path + "." + childName;
            if ((keptChildren != null && !keptChildren.contains(childName)) || profile.removesElement(childPath)) {
                child.getMutator().setValue(element, null);
                continue;
            }
            List<IBase> kept = new ArrayList<>();
            List<IBase> current = new ArrayList<>(values);
            for (IBase value : current) {
                if (scrubValue(value, child, childPath, blocks)) {
                    kept.add(value);
                }
            }
            if (kept.size() != current.size()) {
                child.getMutator().setValue(element, null);
                for (IBase value : kept) {
                    child.getMutator().addValue(element, value);
                }
            }
        }
        if (element instanceof Element dataElement) {
            dataElement.setId((String) null);
            dataElement.getExtension().removeIf(e -> !profile.keepsExtension(e.getUrl()));
        }
    }

    /** Scrubs one value in place; false if it must go. */
    private boolean scrubValue(IBase value, BaseRuntimeChildDefinition child, String path, Deque<Object[]> blocks) {
        if (value instanceof IBaseResource resource) {
            scrubResource(resource, false);
            return !resource.isEmpty();
        }
        if (value instanceof IBaseHasModifierExtensions modified && hasUnknown(modified.getModifierExtension())) {
            return false; // an unknown modifier changes the element's meaning: drop the element, not the modifier
        }
        BaseRuntimeElementDefinition<?> definition = definitionOf(value, child);
        String datatype = definition.getName();
        if (profile.removesDatatype(datatype)) {
            return false;
        }
        switch (definition.getChildType()) {
            case PRIMITIVE_DATATYPE:
                return scrubPrimitive((IPrimitiveType<?>) value, datatype, path);
            case COMPOSITE_DATATYPE:
                if (value instanceof Reference reference) {
                    rewriteReference(reference);
                }
                scrubChildren(value, (BaseRuntimeElementCompositeDefinition<?>) definition, datatype, blocks);
                if (value instanceof Age age) {
                    capAge(age);
                }
                return !value.isEmpty();
            case RESOURCE_BLOCK:
                String blockPath = path;
                for (Object[] block : blocks) {
                    if (block[0] == value.getClass()) {
                        blockPath = (String) block[1];
                    }
                }
                blocks.push(new Object[] {value.getClass(), blockPath});
                try {
                    scrubChildren(value, (BaseRuntimeElementCompositeDefinition<?>) definition, blockPath, blocks);
                } finally {
                    blocks.pop();
                }
                return !value.isEmpty();
            default:
                return false; // ids as values, XHTML, anything else unforeseen: doubt removes
        }
    }

    private BaseRuntimeElementDefinition<?> definitionOf(IBase value, BaseRuntimeChildDefinition child) {
        BaseRuntimeElementDefinition<?> definition = fhirContext.getElementDefinition(value.getClass());
        if (definition == null) {
            String name = child.getChildNameByDatatype(value.getClass());
            definition = child.getChildByName(name != null ? name : child.getElementName());
        }
        if (definition == null) {
            throw new IllegalStateException(
                    "no element definition for " + value.getClass().getName());
        }
        return definition;
    }

    private boolean scrubPrimitive(IPrimitiveType<?> primitive, String datatype, String path) {
        if (primitive instanceof Element element) {
            element.setId((String) null);
            element.getExtension().removeIf(e -> !profile.keepsExtension(e.getUrl()));
        }
        String text = primitive.getValueAsString();
        if (text != null) {
            switch (datatype) {
                case "date", "dateTime" ->
                    primitive.setValueAsString(
                            dayOffset == null ? DateRules.toYear(text) : DateRules.shift(text, dayOffset));
                case "instant" ->
                    primitive.setValueAsString(
                            dayOffset == null ? DateRules.instantToYear(text) : DateRules.shift(text, dayOffset));
                default -> {
                    if (profile.keepsOnlyListed(datatype) && !profile.isListed(datatype, path)) {
                        return false;
                    }
                }
            }
        } else if (profile.keepsOnlyListed(datatype) && !profile.isListed(datatype, path)) {
            return false;
        }
        return !primitive.isEmpty();
    }

    /**
     * Relative references to a resource type get the target's pseudonym (a version is dropped: the
     * export holds current versions). Local references follow their contained resource's new id.
     * Anything else (absolute URLs, urn:uuid, conditional references) is removed: it could point
     * outside the export or carry an identifier.
     */
    private void rewriteReference(Reference reference) {
        reference.setResource(null);
        String value = reference.getReference();
        if (value == null) {
            return;
        }
        String rewritten;
        if (value.startsWith("#")) {
            String newId = containedIds.get(value.substring(1));
            rewritten = newId == null ? null : "#" + newId;
        } else {
            rewritten = pseudonymReference(value);
        }
        if (rewritten == null) {
            reference.setReferenceElement((StringType) null);
        } else {
            reference.getReferenceElement_().setValue(rewritten);
        }
    }

    private boolean hasUnknown(List<? extends IBaseExtension<?, ?>> extensions) {
        for (IBaseExtension<?, ?> extension : extensions) {
            if (!profile.keepsExtension(extension.getUrl())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Safe Harbor: ages over 89 go into one category. The age is taken at death, or else at the export's
     * transaction time, from the earliest day the birth date can mean (doubt counts as older).
     */
    private boolean isAtOrOverAgeCeiling(Patient patient) {
        String birth = patient.getBirthDateElement().getValueAsString();
        if (birth == null) {
            return false;
        }
        LocalDate reference = exportDay;
        if (patient.hasDeceasedDateTimeType()
                && patient.getDeceasedDateTimeType().getValueAsString() != null) {
            reference = DateRules.latestDay(patient.getDeceasedDateTimeType().getValueAsString());
        }
        return !DateRules.earliestDay(birth)
                .plusYears(profile.ageCeilingYears())
                .isAfter(reference);
    }

    /** An Age of the ceiling or more becomes "at least the ceiling" in years. Unknown units count as years. */
    private void capAge(Age age) {
        if (!age.hasValue()) {
            return;
        }
        String unit = age.hasCode() ? age.getCode() : age.getUnit();
        BigDecimal perYear = switch (unit == null ? "a" : unit) {
            case "mo" -> BigDecimal.valueOf(12);
            case "wk" -> new BigDecimal("52.1775");
            case "d" -> new BigDecimal("365.25");
            case "h" -> new BigDecimal("8766");
            case "min" -> new BigDecimal("525960");
            default -> BigDecimal.ONE;
        };
        BigDecimal years = age.getValue().divide(perYear, MathContext.DECIMAL64);
        BigDecimal ceiling = BigDecimal.valueOf(profile.ageCeilingYears());
        if (years.compareTo(ceiling) >= 0) {
            age.setValue(ceiling);
            age.setComparator(Quantity.QuantityComparator.GREATER_OR_EQUAL);
            age.setUnit("a");
            age.setSystem(UCUM);
            age.setCode("a");
        }
    }
}
