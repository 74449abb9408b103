package org.fhiranchor.server.consent;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.anchor.chain.ConsentDecision;
import org.fhiranchor.anchor.chain.ConsentStatus;
import org.fhiranchor.anchor.chain.generated.FhirAnchor;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Reads every {@code ConsentDecisionRecorded} event of one consent key from the contract
 * ({@code eth_getLogs}, topic 1 = the key): the contract stores only the latest decision per
 * consent, the events hold every version's.
 */
public final class ConsentChainReader {

    private final ChainConnection chain;

    public ConsentChainReader(ChainConnection chain) {
        this.chain = chain;
    }

    public List<RecordedConsentDecision> history(byte[] consentKey) {
        String contract = chain.ledger().contractAddress();
        Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            EthFilter filter =
                    new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, contract);
            filter.addSingleTopic(EventEncoder.encode(FhirAnchor.CONSENTDECISIONRECORDED_EVENT));
            filter.addSingleTopic(Numeric.toHexString(consentKey));
            EthLog response = web3j.ethGetLogs(filter).send();
            if (response.hasError()) {
                throw new IllegalStateException(
                        "eth_getLogs failed: " + response.getError().getMessage());
            }
            List<RecordedConsentDecision> decisions = new ArrayList<>();
            for (EthLog.LogResult<?> result : response.getLogs()) {
                Log log = (Log) result.get();
                decisions.add(new RecordedConsentDecision(
                        decode(consentKey, log),
                        log.getTransactionHash(),
                        log.getBlockNumber().longValueExact()));
            }
            return decisions;
        } catch (IOException e) {
            throw new IllegalStateException("chain node unreachable: " + e.getMessage(), e);
        } finally {
            web3j.shutdown();
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static ConsentDecision decode(byte[] consentKey, Log log) {
        List<Type> values = FunctionReturnDecoder.decode(
                log.getData(), FhirAnchor.CONSENTDECISIONRECORDED_EVENT.getNonIndexedParameters());
        return new ConsentDecision(
                consentKey,
                ((BigInteger) values.get(0).getValue()).longValueExact(),
                (byte[]) values.get(1).getValue(),
                (byte[]) values.get(2).getValue(),
                ((List<Bytes32>) values.get(3).getValue())
                        .stream().map(Bytes32::getValue).toList(),
                ((List<Bytes32>) values.get(4).getValue())
                        .stream().map(Bytes32::getValue).toList(),
                (Boolean) values.get(5).getValue(),
                ConsentStatus.fromOnChainCode(((BigInteger) values.get(6).getValue()).intValueExact()),
                ((BigInteger) values.get(7).getValue()).longValueExact(),
                ((BigInteger) values.get(8).getValue()).longValueExact());
    }
}
