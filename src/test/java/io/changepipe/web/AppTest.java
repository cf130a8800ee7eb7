package io.changepipe.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.changepipe.definition.yaml.PipelineSchema;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The service boots with the repository's pipelines/ directory and says what it loaded. */
@QuarkusTest
class AppTest {

    @Test
    void healthIsUpWithThePipelinesCheck() {
        given().when().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("pipelines"))
                .body("checks.find { it.name == 'pipelines' }.data.pipelines", equalTo(1));
    }

    @Test
    void pipelinesListsTheSeedPipelineWithoutSecrets() {
        given().when().get("/pipelines").then().statusCode(200)
                .body("pipelines.name", contains("invoices"))
                .body("pipelines[0].source", equalTo("mysql"))
                .body("pipelines[0].migrationType", equalTo("full-load-and-cdc"))
                .body("pipelines[0].sinks.type", contains("kinesis", "s3-batch", "s3-csv", "sns"))
                .body("rejected", equalTo(java.util.List.of()))
                .body(not(containsString(System.getenv("CDC_DB_PASSWORD"))));
        given().when().get("/pipelines/invoices").then().statusCode(200).body("sinks.name", contains("stream", "lake", "dms-csv", "alerts"));
        given().when().get("/pipelines/nope").then().statusCode(404);
    }

    @Test
    void schemaIsServedForEditors() {
        String served = given().when().get("/schema").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertEquals(PipelineSchema.json(), served);
    }
}
