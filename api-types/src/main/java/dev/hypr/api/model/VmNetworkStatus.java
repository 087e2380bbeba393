package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One NIC as observed ({@code status.networks[]}): its Network, address, MAC and guest interface name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmNetworkStatus(String name, String ip, String mac, @JsonProperty("interface") String iface) {
}
