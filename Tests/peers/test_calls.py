"""A real call through our signalling: two aiortc peers (PyPI, a WebRTC stack we did not
write) exchange the offer, the answer and their ICE candidates over the streaming socket, reach
the connected state, and audio flows from one to the other.

aiortc gathers its candidates before it makes an offer or answer (no trickle ICE), so they
travel inside the SDP as well as one `call.ice` frame each; each side checks it received the
other's. aioice leaves out the loopback address by default; it is pinned to 127.0.0.1 so the
test needs no network interface."""
import asyncio
import json

import aioice.ice
import requests
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack
from websockets.asyncio.client import connect

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def socket_url(server, tokens):
    return server.base.replace("http://", "ws://") + "/api/v1/streaming?access_token=" + tokens["access_token"]


def candidates(sdp):
    return sorted(line[2:] for line in sdp.splitlines() if line.startswith("a=candidate:"))


async def next_frame(socket, types, timeout=20):
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if frame["type"] in types:
            return frame


async def signal(socket, frame_type, to, call_id, data=None):
    payload = {"to": to, "call_id": call_id}
    if data is not None:
        payload["data"] = data
    await socket.send(json.dumps({"type": frame_type, "payload": payload}))


async def call(server, caller, callee):
    caller_id, callee_id = caller["account"]["id"], callee["account"]["id"]
    async with connect(socket_url(server, caller)) as caller_socket, connect(socket_url(server, callee)) as callee_socket:
        assert (await next_frame(caller_socket, {"ready"}))["type"] == "ready"
        assert (await next_frame(callee_socket, {"ready"}))["type"] == "ready"
        offerer, answerer = RTCPeerConnection(), RTCPeerConnection()
        offerer.addTrack(AudioStreamTrack())
        received = asyncio.get_running_loop().create_future()

        @answerer.on("track")
        def on_track(track):
            async def pull():
                frames = [await track.recv() for _ in range(10)]
                received.set_result(frames)
            asyncio.ensure_future(pull())

        await offerer.setLocalDescription(await offerer.createOffer())
        offer_sdp = offerer.localDescription.sdp
        await signal(caller_socket, "call.offer", callee_id, "call-1", offer_sdp)
        for candidate in candidates(offer_sdp):
            await signal(caller_socket, "call.ice", callee_id, "call-1", candidate)

        offer = await next_frame(callee_socket, {"call.offer"})
        assert offer["payload"]["from"] == caller_id and offer["payload"]["call_id"] == "call-1"
        relayed = [(await next_frame(callee_socket, {"call.ice"}))["payload"]["data"] for _ in candidates(offer_sdp)]
        assert sorted(relayed) == candidates(offer_sdp)
        await answerer.setRemoteDescription(RTCSessionDescription(offer["payload"]["data"], "offer"))
        await answerer.setLocalDescription(await answerer.createAnswer())
        answer_sdp = answerer.localDescription.sdp
        await signal(callee_socket, "call.answer", caller_id, "call-1", answer_sdp)
        for candidate in candidates(answer_sdp):
            await signal(callee_socket, "call.ice", caller_id, "call-1", candidate)

        answer = await next_frame(caller_socket, {"call.answer"})
        relayed = [(await next_frame(caller_socket, {"call.ice"}))["payload"]["data"] for _ in candidates(answer_sdp)]
        assert sorted(relayed) == candidates(answer_sdp)
        await offerer.setRemoteDescription(RTCSessionDescription(answer["payload"]["data"], "answer"))

        for _ in range(200):
            if offerer.connectionState == "connected" and answerer.connectionState == "connected":
                break
            await asyncio.sleep(0.1)
        assert (offerer.connectionState, answerer.connectionState) == ("connected", "connected")
        frames = await asyncio.wait_for(received, 20)
        assert len(frames) == 10 and all(frame.samples > 0 for frame in frames)

        await signal(caller_socket, "call.hangup", callee_id, "call-1")
        assert (await next_frame(callee_socket, {"call.hangup"}))["payload"]["call_id"] == "call-1"
        await offerer.close()
        await answerer.close()


def test_two_aiortc_peers_connect_through_our_signalling(make_server):
    server = make_server(ENTATIVA_BCRYPT_COST=4).start()
    caller = server.register("caller")
    callee = server.register("callee")
    # Calls reach only who accepts the caller: following each other is a connection both ways.
    for me, other in ((caller, callee), (callee, caller)):
        followed = requests.post(server.url(f"/api/v1/accounts/{other['account']['id']}/follow"),
                                 headers={"Authorization": f"Bearer {me['access_token']}"})
        assert followed.status_code == 200, followed.text
    asyncio.run(call(server, caller, callee))
