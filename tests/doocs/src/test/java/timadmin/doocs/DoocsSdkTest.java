package timadmin.doocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.doocs.im.ClientConfiguration;
import io.github.doocs.im.ImClient;
import io.github.doocs.im.constant.ActionStatus;
import io.github.doocs.im.constant.ApplyJoinOption;
import io.github.doocs.im.constant.MuteAllMember;
import io.github.doocs.im.model.group.AppDefinedDataItem;
import io.github.doocs.im.model.group.MemberProfile;
import io.github.doocs.im.model.request.GetGroupMemberInfoRequest;
import io.github.doocs.im.model.request.GetGroupMutedAccountRequest;
import io.github.doocs.im.model.request.ModifyGroupBaseInfoRequest;
import io.github.doocs.im.model.response.GenericResult;
import io.github.doocs.im.model.response.GetGroupMemberInfoResult;
import io.github.doocs.im.model.response.GetGroupMutedAccountResult;
import io.github.doocs.im.model.response.ModifyGroupBaseInfoResult;
import io.github.doocs.im.model.response.MutedAccountItem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doocs Java SDK (io.github.doocs:im-server-sdk-java, unmodified, from Maven Central) against
 * the timadmin emulator in TLS mode. The SDK hard-codes {@code https://{domain}/v4/...}; its
 * domain here is {@code 127.0.0.1:PORT} and the JVM trusts the emulator's self-signed
 * certificate through {@code javax.net.ssl.trustStore} (see pom.xml). Every request the SDK
 * sends must be accepted as the service accepts it: after the tests, the emulator's call log
 * must show every call answered with 0, except the one deliberate failure.
 */
class DoocsSdkTest {
    private static final String PUBLIC = "@TGS#2DEMOPUB";
    private static final String COMMUNITY = "@TGS#_demo";
    private static final String DOMAIN = System.getProperty("emulator.domain");
    private static ImClient client;
    /** Calls made here that must fail, and with which code. */
    private static final List<Long> EXPECTED_FAILURES = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void connect() {
        long sdkappid = Long.parseLong(System.getProperty("emulator.sdkappid"));
        String identifier = System.getProperty("emulator.identifier");
        String key = System.getProperty("emulator.secret.key");
        // No retries: a refused request must show up as a failure, not be sent again.
        ClientConfiguration config = ClientConfiguration.builder().maxRetries(0).build();
        client = ImClient.getInstance(sdkappid, identifier, key, DOMAIN, config);
    }

    private static void assertOk(GenericResult r) {
        assertEquals(ActionStatus.OK, r.getActionStatus(), r.toString());
        assertEquals(0, r.getErrorCode(), r.toString());
    }

    @Test
    void getGroupMemberInfoReturnsTheWholeGroup() throws Exception {
        GetGroupMemberInfoResult r = client.group.getGroupMemberInfo(new GetGroupMemberInfoRequest(PUBLIC));
        assertOk(r);
        assertEquals(5, r.getMemberNum());
        Map<String, MemberProfile> byAccount = new TreeMap<>();
        r.getMemberList().forEach(m -> byAccount.put(m.getMemberAccount(), m));
        assertEquals(Arrays.asList("alice", "bob", "carol", "peter", "tommy"), new ArrayList<>(byAccount.keySet()));
        assertEquals("Owner", byAccount.get("bob").getRole());
        // Muted for good: 4294967295 does not fit an int; the SDK reads it as a Long.
        assertEquals(4294967295L, byAccount.get("peter").getMuteUntil());
    }

    @Test
    void getGroupMemberInfoWithFiltersAndPaging() throws Exception {
        GetGroupMemberInfoRequest request = GetGroupMemberInfoRequest.builder()
                .groupId(PUBLIC)
                .memberInfoFilter(Arrays.asList("Role", "MuteUntil"))
                .memberRoleFilter(Collections.singletonList("Member"))
                .appDefinedDataFilterGroupMember(Collections.singletonList("MemberDefined1"))
                .limit(2)
                .offset(1)
                .build();
        GetGroupMemberInfoResult r = client.group.getGroupMemberInfo(request);
        assertOk(r);
        assertEquals(5, r.getMemberNum());
        List<String> accounts = r.getMemberList().stream().map(MemberProfile::getMemberAccount).collect(Collectors.toList());
        assertEquals(Arrays.asList("tommy", "carol"), accounts);
    }

    @Test
    void getGroupMemberInfoPagesACommunityWithNext() throws Exception {
        List<String> accounts = new ArrayList<>();
        String next = "";
        int pages = 0;
        do {
            GetGroupMemberInfoRequest request = GetGroupMemberInfoRequest.builder().groupId(COMMUNITY).limit(2).next(next).build();
            GetGroupMemberInfoResult r = client.group.getGroupMemberInfo(request);
            assertOk(r);
            r.getMemberList().forEach(m -> accounts.add(m.getMemberAccount()));
            next = r.getNext();
            assertNotNull(next, "a community answer carries Next");
            pages++;
        } while (!next.isEmpty() && pages < 10);
        assertEquals(3, pages);
        assertEquals(Arrays.asList("owner", "mod", "m1", "m2", "m3"), accounts);
    }

    @Test
    void getGroupMutedAccountOfAGroupAndOfATopic() throws Exception {
        GetGroupMutedAccountResult r = client.group.getGroupMutedAccount(new GetGroupMutedAccountRequest(PUBLIC));
        assertOk(r);
        Map<String, Long> muted = r.getMutedAccountList().stream()
                .collect(Collectors.toMap(MutedAccountItem::getMemberAccount, MutedAccountItem::getMutedUntil));
        assertEquals(4294967295L, muted.get("peter"));
        assertEquals(4102444800L, muted.get("tommy"));
        assertEquals(2, muted.size(), muted.toString());

        GetGroupMutedAccountResult topic = client.group.getGroupMutedAccount(
                GetGroupMutedAccountRequest.builder().groupId(COMMUNITY).topicId(COMMUNITY + "@TOPIC#_news").build());
        assertOk(topic);
        assertTrue(!topic.getMutedAccountList().isEmpty(), topic.toString());
    }

    @Test
    void modifyGroupBaseInfoChangesEveryField() throws Exception {
        ModifyGroupBaseInfoRequest request = ModifyGroupBaseInfoRequest.builder()
                .groupId(PUBLIC)
                .name("doocs renamed")
                .introduction("set by the doocs SDK")
                .notification("notice")
                .faceUrl("https://example.com/face.png")
                .maxMemberNum(500)
                .applyJoinOption(ApplyJoinOption.FREE_ACCESS)
                .muteAllMember(MuteAllMember.ON)
                .appDefinedData(Arrays.asList(
                        new AppDefinedDataItem("GroupTestData1", "from doocs"),
                        new AppDefinedDataItem("GroupTestData2", "")))
                .build();
        ModifyGroupBaseInfoResult r = client.group.modifyGroupBaseInfo(request);
        assertOk(r);

        JsonNode group = inspect("groups/%40TGS%232DEMOPUB");
        assertEquals("doocs renamed", group.get("Name").asText());
        assertEquals("set by the doocs SDK", group.get("Introduction").asText());
        assertEquals("notice", group.get("Notification").asText());
        assertEquals("https://example.com/face.png", group.get("FaceUrl").asText());
        assertEquals(500, group.get("MaxMemberNum").asInt());
        assertEquals("FreeAccess", group.get("ApplyJoinOption").asText());
        assertEquals("On", group.get("ShutUpAllMember").asText(), "MuteAllMember is the newer name of ShutUpAllMember");
        assertEquals("[{\"Key\":\"GroupTestData1\",\"Value\":\"from doocs\"}]", group.get("AppDefinedData").toString(),
                "an empty Value deletes the key");

        ModifyGroupBaseInfoResult off = client.group.modifyGroupBaseInfo(
                ModifyGroupBaseInfoRequest.builder().groupId(PUBLIC).muteAllMember(MuteAllMember.OFF).build());
        assertOk(off);
        assertEquals("Off", inspect("groups/%40TGS%232DEMOPUB").get("ShutUpAllMember").asText());
    }

    @Test
    void aMissingGroupIsTheServicesError() throws Exception {
        EXPECTED_FAILURES.add(10010L);
        GetGroupMutedAccountResult r = client.group.getGroupMutedAccount(new GetGroupMutedAccountRequest("@TGS#nosuch"));
        assertEquals(ActionStatus.FAIL, r.getActionStatus());
        assertEquals(10010, r.getErrorCode());
    }

    /** Every request the SDK sent was accepted: the only failures are the deliberate ones. */
    @AfterAll
    static void everyRequestWasAccepted() throws Exception {
        JsonNode calls = inspect("calls");
        assertTrue(calls.size() >= 10, calls.toString());
        List<Long> failures = new ArrayList<>();
        for (JsonNode call : calls) {
            assertEquals(200, call.get("http_status").asInt(), call.toString());
            assertEquals("POST", call.get("method").asText(), call.toString());
            long code = call.get("error_code").asLong();
            if (code != 0) {
                failures.add(code);
                if (!EXPECTED_FAILURES.contains(code)) {
                    throw new AssertionError("the emulator refused a request of the doocs SDK: " + call);
                }
            }
        }
        assertEquals(EXPECTED_FAILURES, failures, calls.toString());
        System.out.println("doocs SDK: " + calls.size() + " requests, all accepted but the "
                + EXPECTED_FAILURES.size() + " deliberate failure(s)");
    }

    /** GET an inspection route of the emulator (same HTTPS, same truststore). */
    private static JsonNode inspect(String route) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("https://" + DOMAIN + "/__emulator/" + route)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }
}
