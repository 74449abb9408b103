package org.fhiranchor.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.IQueryParameterOr;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.fhiranchor.server.fhir.FhirServerProperties;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;

/**
 * {@code AuditEvent} over REST when the audit trail keeps its own store ({@code fhir-anchor.audit.store=table}):
 * read, vread and an event's history (every event has one version, 1), and search by the parameters of
 * {@link AuditSearchIndex}, sorted by {@code date} or {@code _lastUpdated} (the same instant here), paged by
 * {@code _offset}, with the server's page sizes ({@code fhir-anchor.fhir.default-page-size}, {@code max-page-size}).
 * Who may call what is decided before, by the security interceptors, exactly as for the HAPI-stored trail; the only
 * write is the restore's replay of an archived event under its original id (docs/archive.md).
 */
final class AuditEventProvider implements IResourceProvider {

    private final AuditStore store;
    private final AuditTable table;
    private final FhirContext fhirContext;
    private final FhirServerProperties pages;

    AuditEventProvider(AuditStore store, AuditTable table, FhirContext fhirContext, FhirServerProperties pages) {
        this.store = store;
        this.table = table;
        this.fhirContext = fhirContext;
        this.pages = pages;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read(version = true)
    public AuditEvent read(@IdParam IdType id) {
        if (id.hasVersionIdPart() && !"1".equals(id.getVersionIdPart())) {
            throw new ResourceNotFoundException(id);
        }
        return find(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    }

    /** An event's history: its one version. */
    @History
    public List<AuditEvent> history(@IdParam IdType id) {
        return List.of(read(id.toVersionless()));
    }

    /** The stored event {@code id}, as served. */
    Optional<AuditEvent> find(String id) {
        return store.json(id).map(this::parse);
    }

    @Search(allowUnknownParams = false)
    public IBundleProvider search(
            @OptionalParam(name = "_id") TokenAndListParam ids,
            @OptionalParam(name = "date") DateRangeParam date,
            @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
            @OptionalParam(name = "patient") ReferenceAndListParam patient,
            @OptionalParam(name = "agent") ReferenceAndListParam agent,
            @OptionalParam(name = "entity") ReferenceAndListParam entity,
            @OptionalParam(name = "agent-name") StringAndListParam agentName,
            @OptionalParam(name = "entity-name") StringAndListParam entityName,
            @OptionalParam(name = "type") TokenAndListParam type,
            @OptionalParam(name = "subtype") TokenAndListParam subtype,
            @OptionalParam(name = "action") TokenAndListParam action,
            @OptionalParam(name = "outcome") TokenAndListParam outcome,
            @Sort SortSpec sort,
            @Count Integer count,
            @Offset Integer offset) {
        AuditQuery query = new AuditQuery();
        if (ids != null) {
            ids.getValuesAsQueryTokens()
                    .forEach(or -> query.withIds(or.getValuesAsQueryTokens().stream()
                            .map(TokenParam::getValue)
                            .map(v -> new IdType(v).getIdPart())
                            .toList()));
        }
        dates(query, date);
        dates(query, lastUpdated);
        references(query, "patient", patient, AuditSearchIndex::patientReference);
        references(query, "agent", agent, Function.identity());
        references(query, "entity", entity, Function.identity());
        strings(query, "agent-name", agentName);
        strings(query, "entity-name", entityName);
        tokens(query, "type", type);
        tokens(query, "subtype", subtype);
        tokens(query, "action", action);
        tokens(query, "outcome", outcome);
        sort(query, sort);

        int pageSize = count == null ? pages.defaultPageSize() : Math.max(0, Math.min(count, pages.maxPageSize()));
        int from = offset == null ? 0 : Math.max(0, offset);
        AuditStore.Page page = store.search(query, from, pageSize);
        List<IBaseResource> resources = new ArrayList<>();
        page.json().forEach(json -> resources.add(parse(json)));
        SimpleBundleProvider result = new SimpleBundleProvider(resources);
        result.setSize(page.total());
        result.setCurrentPageOffset(from);
        result.setCurrentPageSize(pageSize);
        return result;
    }

    /**
     * The trail is append-only and written by the server: a client's create is refused with 403 (the scope rules
     * refuse it first; this holds if they ever let one through), as with AuditEvents kept as HAPI resources.
     */
    @Create
    public MethodOutcome create(@ResourceParam AuditEvent event) {
        throw new ForbiddenOperationException("AuditEvents are written by the server only");
    }

    /**
     * The restore's replay of an archived AuditEvent under its id (the restore scope only, checked by the security
     * rules before this runs): stored as version 1, recorded when the archived event was. A second replay of the
     * same id is refused with 409, so a restore run twice does not duplicate the trail.
     */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam AuditEvent event) {
        if (id == null || !id.hasIdPart()) {
            throw new InvalidRequestException("an AuditEvent is replayed with PUT AuditEvent/[id]");
        }
        Instant recorded = event.hasRecorded()
                ? event.getRecorded().toInstant()
                : event.getMeta().hasLastUpdated()
                        ? event.getMeta().getLastUpdated().toInstant()
                        : Instant.now();
        if (!table.writeWithId(event, id.getIdPart(), recorded)) {
            throw new ResourceVersionConflictException("AuditEvent/" + id.getIdPart() + " exists already");
        }
        return new MethodOutcome(new IdType("AuditEvent", id.getIdPart(), "1"), true).setResource(event);
    }

    private AuditEvent parse(String json) {
        AuditEvent event = fhirContext.newJsonParser().parseResource(AuditEvent.class, json);
        event.setId(new IdType("AuditEvent", event.getIdElement().getIdPart(), "1"));
        return event;
    }

    private static void dates(AuditQuery query, DateRangeParam range) {
        if (range != null) {
            bound(query, range.getLowerBound());
            bound(query, range.getUpperBound());
        }
    }

    /** One date bound, as the period its precision makes of it (2026-01-01 is the whole day). */
    private static void bound(AuditQuery query, DateParam param) {
        if (param == null || param.getValue() == null) {
            return;
        }
        TemporalPrecisionEnum precision =
                param.getPrecision() == null ? TemporalPrecisionEnum.MILLI : param.getPrecision();
        Instant start = param.getValue().toInstant();
        Instant end = precision.add(param.getValue(), 1).toInstant().minusMillis(1);
        ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
        switch (prefix) {
            case EQUAL -> query.recordedFrom(start).recordedUntil(end);
            case GREATERTHAN_OR_EQUALS -> query.recordedFrom(start);
            case GREATERTHAN, STARTS_AFTER -> query.recordedFrom(end.plusMillis(1));
            case LESSTHAN_OR_EQUALS -> query.recordedUntil(end);
            case LESSTHAN, ENDS_BEFORE -> query.recordedUntil(start.minusMillis(1));
            default ->
                throw new InvalidRequestException(
                        "date prefix '" + prefix.getValue() + "' is not supported on AuditEvent");
        }
    }

    private static void references(
            AuditQuery query, String param, ReferenceAndListParam and, Function<String, String> normal) {
        if (and == null) {
            return;
        }
        for (IQueryParameterOr<ReferenceParam> or : and.getValuesAsQueryTokens()) {
            query.where(
                    param,
                    or.getValuesAsQueryTokens().stream()
                            .map(r -> new AuditQuery.Value(null, normal.apply(reference(r)), AuditQuery.Match.EXACT))
                            .toList());
        }
    }

    private static String reference(ReferenceParam reference) {
        if (reference.getChain() != null) {
            throw new InvalidRequestException("AuditEvent searches take no chained parameters");
        }
        String type = reference.getResourceType();
        return type == null ? reference.getValue() : type + "/" + reference.getIdPart();
    }

    private static void strings(AuditQuery query, String param, StringAndListParam and) {
        if (and == null) {
            return;
        }
        for (IQueryParameterOr<StringParam> or : and.getValuesAsQueryTokens()) {
            List<AuditQuery.Value> values = new ArrayList<>();
            boolean exact = or.getValuesAsQueryTokens().get(0).isExact();
            for (StringParam value : or.getValuesAsQueryTokens()) {
                if (value.isContains()) {
                    throw new InvalidRequestException(param + ":contains is not supported on AuditEvent");
                }
                if (value.isExact() != exact) {
                    throw new InvalidRequestException(
                            "one " + param + " parameter cannot mix :exact and prefix values on AuditEvent");
                }
                values.add(
                        exact
                                ? new AuditQuery.Value(null, value.getValue(), AuditQuery.Match.EXACT)
                                : new AuditQuery.Value(
                                        null, AuditSearchIndex.normalized(value.getValue()), AuditQuery.Match.PREFIX));
            }
            query.where(exact ? param + AuditSearchIndex.EXACT : param, values);
        }
    }

    private static void tokens(AuditQuery query, String param, TokenAndListParam and) {
        if (and == null) {
            return;
        }
        for (IQueryParameterOr<TokenParam> or : and.getValuesAsQueryTokens()) {
            query.where(
                    param,
                    or.getValuesAsQueryTokens().stream()
                            .map(token -> {
                                if (token.getModifier() != null) {
                                    throw new InvalidRequestException(param + ":"
                                            + token.getModifier().getValue() + " is not supported on AuditEvent");
                                }
                                String system = token.getSystem();
                                return new AuditQuery.Value(
                                        system == null || system.isEmpty() ? null : system,
                                        token.getValue(),
                                        AuditQuery.Match.EXACT);
                            })
                            .toList());
        }
    }

    private static void sort(AuditQuery query, SortSpec sort) {
        if (sort == null) {
            return;
        }
        if (sort.getChain() != null
                || !("date".equals(sort.getParamName()) || Constants.PARAM_LASTUPDATED.equals(sort.getParamName()))) {
            throw new InvalidRequestException("AuditEvent searches sort by date or _lastUpdated only");
        }
        query.sortedByRecorded(sort.getOrder() == SortOrderEnum.DESC);
    }
}
