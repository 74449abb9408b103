package org.fhiranchor.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * Everything a public observer of a chain sees: every transaction's input and every log's topics
 * and data, from block 0 to the latest, as lowercase hex.
 */
public final class ChainScan {

    private ChainScan() {}

    public static List<String> everyPayload(String rpcUrl) {
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            List<String> payloads = new ArrayList<>();
            long latest = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
            for (long n = 0; n <= latest; n++) {
                EthBlock.Block block = web3j.ethGetBlockByNumber(
                                DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), true)
                        .send()
                        .getBlock();
                for (EthBlock.TransactionResult<?> tx : block.getTransactions()) {
                    payloads.add(
                            ((EthBlock.TransactionObject) tx.get()).getInput().toLowerCase());
                }
            }
            EthLog logs = web3j.ethGetLogs(new EthFilter(
                            DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, List.of()))
                    .send();
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                Log log = (Log) result.get();
                payloads.add(log.getData().toLowerCase());
                log.getTopics().forEach(topic -> payloads.add(topic.toLowerCase()));
            }
            return payloads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            web3j.shutdown();
        }
    }
}
