# SPDX-License-Identifier: MIT
# make map-picture: regenerates the README's picture of the demo system —
# docs/demo-map.svg (vmcfg map --svg) and docs/demo-map.png (the SVG rendered
# by headless Chromium at its own size, scripts/svg2png.sh). Both are checked
# in; run this after changing examples/demo or the map's drawing.
MAP_PICTURE_SYSTEM := examples/demo/system.toml

.PHONY: map-picture test-render
map-picture: $(CLI)
	@scripts/deps.sh render
	$(CLI) map --system $(MAP_PICTURE_SYSTEM) --svg docs/demo-map.svg > /dev/null
	scripts/svg2png.sh docs/demo-map.svg docs/demo-map.png

# make test-render: tests/map/run with the rendering checks required — the PNGs and the
# geometry Chromium measures on every example system and generated ones (make test skips them
# when Chromium, about 160 Debian packages, is not installed). CI runs it.
test-render:
	@scripts/deps.sh test
	@scripts/deps.sh render
	$(MAKE) $(CLI)
	BUILD=$(BUILD) VMCFG_RENDER=required tests/map/run
