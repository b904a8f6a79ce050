#!/usr/bin/env bash
# Debian packages the test suite drives for real (sourced by ./test after lib.sh).
ensure_packages postgresql postgresql-contrib
ensure_packages tzdata   # calling windows read IANA zones (Asia/Shanghai, America/New_York)
# sipp (SIP interop tests against our stack, tests/Telephony.Tests/Sip/Interop).
ensure_packages sip-tester
# baresip (a real softphone: call-control interop, tests/Telephony.Tests/CallControl/Interop).
ensure_packages baresip-core
# kamailio (registrar and record-routing proxy in front of our call control).
ensure_packages kamailio
# Speech (src/Telephony/Speech): flite TTS (P/Invoke), espeak-ng (process, GPL), pocketsphinx ASR (P/Invoke).
ensure_packages libflite1 flite espeak-ng libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us
# chromium (headless browser for the agent console and wallboard tests, tests/Api.Tests/Web).
ensure_packages chromium fonts-noto-cjk   # CJK font: the console's Chinese text in screenshots
# kamailio WebSocket + PostgreSQL modules and rtpengine (the agents' WebRTC edge, tests/Api.Tests/Web/Softphone).
ensure_edge_packages
ensure_packages iproute2   # ip netns: the softphone test puts the edge and Chromium in a namespace of its own
