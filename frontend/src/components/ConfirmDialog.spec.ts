// The confirmation modal's keyboard contract (through useModal): focus in, kept in, Escape, back.
import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { setLocale } from '../i18n'
import ConfirmDialog from './ConfirmDialog.vue'

const key = (name: string, shiftKey = false) =>
  document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: name, shiftKey, bubbles: true, cancelable: true }))

beforeEach(() => {
  setLocale('en')
  document.body.innerHTML = '<button id="opener">Delete</button>'
})

describe('ConfirmDialog', () => {
  it('takes focus, keeps Tab inside, closes on Escape and gives focus back', async () => {
    const opener = document.getElementById('opener')!
    opener.focus()
    const wrapper = mount(ConfirmDialog, { props: { open: false, text: 'Delete shop?', action: 'Delete' }, attachTo: document.body })
    await wrapper.setProps({ open: true })
    await nextTick()
    expect(document.activeElement!.textContent).toBe('Cancel')
    key('Tab', true) // from the first control backwards: to the last
    expect(document.activeElement!.textContent).toBe('Delete')
    expect(key('Tab')).toBe(false) // default prevented: the browser does not move on
    expect(document.activeElement!.textContent).toBe('Cancel')
    opener.focus() // focus escaped somehow: Tab brings it back in
    key('Tab')
    expect(wrapper.element.contains(document.activeElement)).toBe(true)
    key('Escape')
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    await wrapper.setProps({ open: false })
    expect(document.activeElement).toBe(opener)
    key('Escape') // closed: no longer listening
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    wrapper.unmount()
  })
})
