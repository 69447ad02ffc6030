import { mount } from '@vue/test-utils'
import { AxiosError, AxiosHeaders } from 'axios'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import StateView from './StateView.vue'

const slots = { default: '<p class="content">the list</p>', empty: 'nothing yet' }

describe('StateView', () => {
  setLocale('en')
  it('shows loading, then the list', async () => {
    const wrapper = mount(StateView, { props: { loading: true }, slots })
    expect(wrapper.find('[role=status]').text()).toContain('Loading')
    await wrapper.setProps({ loading: false })
    expect(wrapper.find('.content').exists()).toBe(true)
  })

  it('shows the empty state', () => {
    expect(mount(StateView, { props: { empty: true }, slots }).text()).toBe('nothing yet')
  })

  it('shows the API error and offers a retry', async () => {
    const config = { headers: new AxiosHeaders() }
    const error = new AxiosError('x', '403', config, {}, {
      status: 403, statusText: '', data: { detail: 'this needs the operator role' }, headers: {}, config,
    })
    const wrapper = mount(StateView, { props: { error }, slots })
    expect(wrapper.find('[role=alert]').text()).toContain('this needs the operator role')
    await wrapper.find('button').trigger('click')
    expect(wrapper.emitted('retry')).toHaveLength(1)
  })

  it('says when the server is unreachable', () => {
    const error = new AxiosError('Network Error', 'ERR_NETWORK', { headers: new AxiosHeaders() })
    expect(mount(StateView, { props: { error }, slots }).text()).toContain('could not be reached')
  })
})
