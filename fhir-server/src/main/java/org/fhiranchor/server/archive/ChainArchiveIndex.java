package org.fhiranchor.server.archive;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.chain.ArchiveRef;
import org.fhiranchor.anchor.chain.OnChainCheckpoint;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.anchor.chain.generated.FhirAnchor;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * What the chain says about the archive: every checkpoint (size to root) and every {@code Archived} event, read
 * with no key. Events are de-duplicated by (range, CID): a retried {@code recordArchive} emits one twice.
 *
 * <p>One {@code eth_getLogs} over the whole chain: fine for a dev chain and for nodes without a block-range limit;
 * a public RPC endpoint that caps ranges would need paging (not done yet).
 */
public record ChainArchiveIndex(
        Map<Long, byte[]> checkpointRoots, long latestCheckpointSize, List<ArchiveRef> archives) {

    public static ChainArchiveIndex read(Web3jLedger ledger, String rpcUrl) {
        Map<Long, byte[]> roots = new HashMap<>();
        long latest = 0;
        long count = ledger.checkpointCount();
        for (long i = 0; i < count; i++) {
            OnChainCheckpoint checkpoint = ledger.checkpointAt(i).orElseThrow();
            roots.put(checkpoint.treeSize(), checkpoint.root());
            latest = Math.max(latest, checkpoint.treeSize());
        }
        return new ChainArchiveIndex(roots, latest, archivedEvents(rpcUrl, ledger.contractAddress()));
    }

    @SuppressWarnings("rawtypes")
    static List<ArchiveRef> archivedEvents(String rpcUrl, String contract) {
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            EthFilter filter = new EthFilter(
                            DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, contract)
                    .addSingleTopic(EventEncoder.encode(FhirAnchor.ARCHIVED_EVENT));
            EthLog reply = web3j.ethGetLogs(filter).send();
            if (reply.hasError()) {
                throw new RestoreException(
                        "eth_getLogs failed: " + reply.getError().getMessage());
            }
            List<ArchiveRef> refs = new ArrayList<>();
            for (EthLog.LogResult result : reply.getLogs()) {
                Log log = (Log) result.get();
                List<Type> values = FunctionReturnDecoder.decode(
                        log.getData(), FhirAnchor.ARCHIVED_EVENT.getNonIndexedParameters());
                ArchiveRef ref = new ArchiveRef(
                        ((BigInteger) values.get(0).getValue()).longValueExact(),
                        ((BigInteger) values.get(1).getValue()).longValueExact(),
                        (byte[]) values.get(2).getValue());
                if (refs.stream().noneMatch(r -> same(r, ref))) {
                    refs.add(ref);
                }
            }
            return refs;
        } catch (IOException e) {
            throw new RestoreException("chain node unreachable at " + rpcUrl + ": " + e.getMessage(), e);
        } finally {
            web3j.shutdown();
        }
    }

    static boolean same(ArchiveRef a, ArchiveRef b) {
        return a.fromSize() == b.fromSize() && a.toSize() == b.toSize() && Arrays.equals(a.cid(), b.cid());
    }
}
