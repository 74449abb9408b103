package org.fhiranchor.server.verify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.BatchedProof;
import org.fhiranchor.anchor.proof.BatchedProofJson;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.log.BatchMember;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.VersionHasher;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code $verify} of a version written as a batch member (docs/verification.md 4.2): the member's stored
 * content re-hashed, then, once its batch is sealed and the batch record's leaf anchored, a
 * {@code fhir-anchor-batched-proof/1}: the member's path in its batch, the record as served, and the record's
 * ordinary proof.
 */
final class BatchedVersionVerifier {

    private static final HexFormat HEX = HexFormat.of();

    private final BatchMembers members;
    private final LogRepository log;
    private final VersionVerifier verifier;
    private final StoredResources stored;
    private final VersionHasher hasher;

    BatchedVersionVerifier(
            BatchMembers members,
            LogRepository log,
            VersionVerifier verifier,
            StoredResources stored,
            VersionHasher hasher) {
        this.members = members;
        this.log = log;
        this.verifier = verifier;
        this.stored = stored;
        this.hasher = hasher;
    }

    Optional<BatchMember> find(String type, String id, long version) {
        return members.findByVersion(type, id, version);
    }

    /** The member as a log entry that is not a leaf: what the access check and the re-hash look at. */
    static LogEntry asEntry(BatchMember member) {
        return new LogEntry(member.memberId(), member.leaf(), member.recordedAt(), null, null);
    }

    /** @param current what the member's version hashes to as stored now ({@link VersionVerifier#currentContentHash}) */
    Parameters verify(BatchMember member, byte[] current) {
        Parameters parameters = new Parameters();
        VersionStatus status;
        Optional<VersionVerification> record = Optional.empty();
        if (!Arrays.equals(current, member.leaf().contentHash())) {
            status = VersionStatus.TAMPERED;
        } else if (!member.isSealed()) {
            status = VersionStatus.PENDING;
        } else {
            ResourceRef batch = member.batch();
            LogEntry recordEntry = log.findByVersion(batch.type(), batch.id(), Long.parseLong(batch.versionId()))
                    .orElseThrow(() -> new IllegalStateException("batch record " + batch + " has no log entry"));
            VersionVerification checked = verifier.verify(recordEntry);
            record = Optional.of(checked);
            status = checked.status();
        }
        parameters.addParameter().setName("status").setValue(new CodeType(status.code()));
        parameters
                .addParameter()
                .setName("resource")
                .setValue(new StringType(member.leaf().ref().toString()));
        parameters
                .addParameter()
                .setName("operation")
                .setValue(new CodeType(member.leaf().operation().jsonName()));
        parameters
                .addParameter()
                .setName("contentHash")
                .setValue(new StringType(HEX.formatHex(member.leaf().contentHash())));
        parameters.addParameter().setName("currentContentHash").setValue(new StringType(HEX.formatHex(current)));
        parameters
                .addParameter()
                .setName("salt")
                .setValue(new StringType(HEX.formatHex(member.leaf().salt())));
        parameters
                .addParameter()
                .setName("leafHash")
                .setValue(new StringType(HEX.formatHex(member.leaf().leafHash())));
        if (member.isSealed()) {
            parameters
                    .addParameter()
                    .setName("batch")
                    .setValue(new StringType(member.batch().toString()));
            parameters.addParameter().setName("batchIndex").setValue(new IntegerType(member.batchIndex()));
        }
        if (status == VersionStatus.ANCHORED
                && record.isPresent()
                && record.get().proof().isPresent()) {
            List<byte[]> leafHashes = members.membersOf(member.batch()).stream()
                    .map(m -> m.leaf().leafHash())
                    .toList();
            parameters.addParameter().setName("batchSize").setValue(new IntegerType(leafHashes.size()));
            Parameters recordParameters = VerifyOperationProvider.toParameters(record.get());
            for (String name : List.of(
                    "treeSize", "rootHash", "chainId", "contract", "transactionHash", "blockNumber", "confirmations")) {
                recordParameters.getParameter().stream()
                        .filter(p -> p.getName().equals(name))
                        .findFirst()
                        .ifPresent(p -> parameters.addParameter(p.copy()));
            }
            BatchedProof proof = BatchedProof.forMember(
                    member.leaf(),
                    member.batchIndex(),
                    leafHashes,
                    servedRecord(member.batch()),
                    record.get().proof().get());
            parameters
                    .addParameter()
                    .setName("proof")
                    .setValue(
                            new Attachment().setContentType("application/json").setData(BatchedProofJson.write(proof)));
        }
        return parameters;
    }

    private JsonObject servedRecord(ResourceRef record) {
        IBaseResource version = stored.read(new IdType(record.type(), record.id(), record.versionId()), true);
        return JsonParser.parseObject(hasher.servedJson(version).getBytes(StandardCharsets.UTF_8));
    }
}
