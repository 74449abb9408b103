package org.fhiranchor.server.anchoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.fhiranchor.anchor.chain.DeploymentCheck;
import org.fhiranchor.anchor.chain.DeploymentStatement;
import org.fhiranchor.server.support.FhirRestTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** The server that deployed its contract publishes a deployment statement that holds against the chain. */
class DeploymentStatementEndpointTest extends FhirRestTest {

    @Autowired
    ChainConnection chain;

    @Test
    void statementIsPublic_signedByTheDeployer_andNamesTheContractInUse() throws Exception {
        String contract = chain.ledger().contractAddress();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + DeploymentStatementEndpoint.PATH))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        DeploymentStatement statement =
                DeploymentStatement.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(statement.contract()).isEqualTo(contract.toLowerCase());
        assertThat(statement.signer()).isEqualTo(statement.deployer());
        Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            DeploymentCheck.check(web3j, statement); // throws on any mismatch
        } finally {
            web3j.shutdown();
        }
    }
}
